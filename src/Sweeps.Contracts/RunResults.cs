using Sweeps.Core.Grid;

namespace Sweeps.Contracts;

/// <summary>Where a finished run's result (with its curve) is kept: its own run grain, or its task's.</summary>
public static class RunResults
{
    public static Task<RunResult?> Of(IGrainFactory grains, string sweepId, SweepGrid grid, long index) =>
        grid.Spec.TaskSize == 1
            ? grains.GetGrain<IRunGrain>(RunKeys.Of(sweepId, grid.RunAt(index).RunId)).GetResult()
            : grains.GetGrain<IRunTaskGrain>(RunKeys.OfTask(sweepId, index, grid.Spec.TaskSize)).GetResult(index);
}
