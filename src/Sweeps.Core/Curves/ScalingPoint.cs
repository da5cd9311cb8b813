namespace Sweeps.Core.Curves;

/// <summary>One final loss at a model size (parameters) and an amount of data (tokens or steps).</summary>
public sealed record ScalingPoint(double Parameters, double Tokens, double Loss);
