using Sweeps.Core.Curves;

namespace Sweeps.Kernels;

/// <summary>
/// A simulated run: its outcome, its loss curve (step t = loss after t updates, downsampled to at
/// most the requested number of points, the last step always kept) and its final loss
/// (NaN when diverged).
/// </summary>
public sealed record KernelResult(RunOutcome Outcome, Curve Curve, double FinalLoss)
{
    /// <summary>The updates this run simulated itself: fewer than its steps when it continued from another run's checkpoint (or stopped early).</summary>
    public int SimulatedSteps { get; init; }
}
