using Sweeps.Core.Grid;
using Sweeps.Laws;

namespace Sweeps.Contracts;

/// <summary>A finished run as a point of the final-loss laws: the sweep's fits and the console's agree on it.</summary>
public static class FinalLossPoints
{
    public static FinalLossPoint Of(RunDefinition run, double finalLoss) =>
        new(run.ModelSize, run.TotalSteps, run.PeakLr, run.WarmupSteps, run.ScheduleName, run.Seed, finalLoss);
}
