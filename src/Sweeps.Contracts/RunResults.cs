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
        return Restored(result, grid);
    }

    /// <summary>
    /// The results of <paramref name="indices"/>, in their order: a task's runs in one call to its
    /// grain (which then lets go of its activation), a run grain's each in its own.
    /// </summary>
    public static async Task<IReadOnlyList<RunResult?>> Of(IGrainFactory grains, string sweepId, SweepGrid grid, IReadOnlyList<long> indices)
    {
        var taskSize = grid.Spec.TaskSize;
        if (taskSize == 1)
        {
            return await Task.WhenAll(indices.Select(index => Of(grains, sweepId, grid, index)));
        }

        var byTask = indices.GroupBy(index => index - index % taskSize).ToList();
        var answers = await Task.WhenAll(byTask.Select(task =>
            grains.GetGrain<IRunTaskGrain>(RunKeys.OfTask(sweepId, task.Key, taskSize)).GetResults([.. task])));
        var found = new Dictionary<long, RunResult?>(indices.Count);
        foreach (var (task, results) in byTask.Zip(answers))
        {
            foreach (var (index, result) in task.Zip(results))
            {
                found[index] = Restored(result, grid);
            }
        }

        return [.. indices.Select(index => found[index])];
    }

    private static RunResult? Restored(RunResult? result, SweepGrid grid) =>
        result is { LrOfSchedule: true, Curve: { } curve }
            ? result with { Curve = ScheduleLrColumn.Restored(curve, grid.RunAt(result.Index).Schedule), LrOfSchedule = false }
            : result;
}
