using Sweeps.Core.Grid;

namespace Sweeps.Contracts;

/// <summary>Where a finished run's result (with its curve) is kept: its own run grain, or its task's.</summary>
public static class RunResults
{
    /// <summary>The run's result with its whole curve (an LR column stored as the run's schedule put back).</summary>
    public static async Task<RunResult?> Of(IGrainFactory grains, string sweepId, SweepGrid grid, long index)
    {
        var result = await (grid.Spec.TaskSize == 1
            ? grains.GetGrain<IRunGrain>(RunKeys.Of(sweepId, grid.RunAt(index).RunId)).GetResult()
            : grains.GetGrain<IRunTaskGrain>(RunKeys.OfTask(sweepId, index, grid.Spec.TaskSize)).GetResult(index));
        return result is { LrOfSchedule: true, Curve: { } curve }
            ? result with { Curve = ScheduleLrColumn.Restored(curve, grid.RunAt(index).Schedule), LrOfSchedule = false }
            : result;
    }
}
