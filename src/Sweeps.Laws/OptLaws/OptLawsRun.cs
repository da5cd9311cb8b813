namespace Sweeps.Laws.OptLaws;

/// <summary>One training run as the Opt-Laws see it: its model size (total parameters) and schedule.</summary>
public sealed record OptLawsRun(double Parameters, OptLawsSchedule Schedule);
