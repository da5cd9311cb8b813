namespace Sweeps.Laws.Scaling;

/// <summary>
/// One way of reading the optimal peak LR at a new scale: <paramref name="Method"/> (<c>sweep_minima</c>,
/// <c>convex_bound</c>, <c>loss_law</c>), the LR, its 95% prediction interval (NaN where the method
/// has none) and the coefficients it came from.
/// </summary>
public sealed record PeakLrAnswer(string Method, double PeakLr, double[] Interval, IReadOnlyDictionary<string, double> Coefficients);
