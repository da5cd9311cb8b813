using Sweeps.Laws.Curves;

namespace Sweeps.Laws.Scaling;

/// <summary>
/// A loss curve with the scale it was trained at, for a multi-scale fit: the model size N, the peak
/// LR of its schedule (the loss floor grows with it), the prepared schedule and the observed losses.
/// </summary>
public sealed record ScaledCurve(string Name, double ModelSize, MplCurve Curve, double[] Loss)
{
    public double PeakLr { get; } = Curve.LearningRates.Max();

    public MplObservation Observation => new(Name, Curve, Loss);
}
