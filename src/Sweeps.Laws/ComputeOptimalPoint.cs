namespace Sweeps.Laws;

/// <summary>A point of Chinchilla's compute-optimal frontier: the budget N·D, its best model size and data, and the loss there.</summary>
public sealed record ComputeOptimalPoint(double SizeTimesData, double ModelSize, double Data, double Loss);
