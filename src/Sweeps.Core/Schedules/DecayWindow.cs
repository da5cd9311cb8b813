namespace Sweeps.Core.Schedules;

/// <summary>A WSD-S decay window: steps <c>[Start, End)</c> decay from the peak to the final LR.</summary>
public sealed record DecayWindow(int Start, int End);
