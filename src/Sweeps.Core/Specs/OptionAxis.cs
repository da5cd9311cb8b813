namespace Sweeps.Core.Specs;

/// <summary>A simulator option swept over several values.</summary>
public sealed record OptionAxis(string Name, IReadOnlyList<double> Values);
