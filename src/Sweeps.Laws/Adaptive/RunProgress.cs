using Sweeps.Core.Curves;
using Sweeps.Core.Grid;

namespace Sweeps.Laws.Adaptive;

/// <summary>
/// How far a run has got: its curve's first <see cref="Points"/> points (steps count updates, as a
/// run's curve does). A finished run is all of its curve; a stopped run keeps the prefix it reached.
/// </summary>
public sealed record RunProgress(RunDefinition Run, Curve Curve, int Points)
{
    public static RunProgress Finished(RunCurve run) => new(run.Run, run.Curve, run.Curve.Count);

    /// <summary>The last step reached (0 before the first point).</summary>
    public int Step => Points == 0 ? 0 : Curve.Steps[Points - 1];

    /// <summary>The share of its horizon the run has done.</summary>
    public double Fraction => (double)Step / Run.TotalSteps;

    public double LatestLoss => Points == 0 ? double.NaN : Curve.Loss[Points - 1];

    /// <summary>Whether the run has reached its last step with a finite loss (a diverged run ends early, or with a non-finite loss).</summary>
    public bool Completed => Points == Curve.Count && Step == Run.TotalSteps && double.IsFinite(LatestLoss);

    /// <summary>The loss at the last point at or before <paramref name="step"/> (NaN before the first).</summary>
    public double LossAt(int step)
    {
        var i = Array.BinarySearch(Curve.Steps, 0, Points, step);
        i = i >= 0 ? i : ~i - 1;
        return i >= 0 ? Curve.Loss[i] : double.NaN;
    }

    /// <summary>The lowest loss up to <paramref name="step"/> (NaN before the first point).</summary>
    public double BestLossUpTo(int step)
    {
        var best = double.NaN;
        for (var i = 0; i < Points && Curve.Steps[i] <= step; i++)
        {
            best = double.IsNaN(best) || Curve.Loss[i] < best ? Curve.Loss[i] : best;
        }

        return best;
    }

    /// <summary>The observed prefix as a curve of its own.</summary>
    public Curve Observed => Points == Curve.Count ? Curve : new Curve(Curve.Steps[..Points], Curve.Lr[..Points], Curve.Loss[..Points]);
}
