namespace Sweeps.Laws.Curves;

/// <summary>A loss curve to fit or score: its name, its prepared schedule, and the observed losses at the curve's steps.</summary>
public sealed record MplObservation(string Name, MplCurve Curve, double[] Loss);
