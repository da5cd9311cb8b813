using Sweeps.Core.Grid;
using Sweeps.Laws;

namespace Sweeps.Contracts;

/// <summary>A finished run as a point of the final-loss laws: the sweep's fits and the console's agree on it.</summary>
public static class FinalLossPoints
{
    public static FinalLossPoint Of(RunDefinition run, double finalLoss) =>
        new(run.ModelSize, run.TotalSteps, run.PeakLr, run.WarmupSteps, run.ScheduleName, run.Seed, finalLoss);

    /// <summary>A recorded run as the optimal-LR fit reads it: its final loss, NaN when it diverged; null when it has neither (failed, stopped).</summary>
    public static FinalLossPoint? Of(RunDefinition run, RunRecord record) =>
        record.Status.HasFinalLoss() ? Of(run, record.FinalLoss) : record.Status == RunStatus.Diverged ? Of(run, double.NaN) : null;

    /// <summary>A run stopped early with the law rule's predicted final loss, as a point of that loss (null otherwise): it fills in optimal-LR brackets.</summary>
    public static FinalLossPoint? PredictedOf(RunDefinition run, RunRecord record) =>
        record is { Status: RunStatus.Stopped, PredictedFinal: { } predicted } ? Of(run, predicted) : null;
}
