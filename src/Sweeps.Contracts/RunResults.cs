using System.Runtime.CompilerServices;
using Sweeps.Core.Curves;
using Sweeps.Core.Grid;

namespace Sweeps.Contracts;

/// <summary>Where a finished run's result (with its curve) is kept: its own run grain, or its task's.</summary>
public static class RunResults
{
    /// <summary>Runs whose curves are asked of their grains at once: enough to keep the silos busy, few enough to bound what is held.</summary>
    public const int CurveBatch = 64;

    /// <summary>
    /// The curves of runs <paramref name="indices"/> (those whose grain kept one), in their order,
    /// asked of their grains <see cref="CurveBatch"/> runs at a time: what every reader of a sweep's
    /// curves streams through (the law-fit grain's inputs, exports, plots), in bounded memory.
    /// </summary>
    public static async IAsyncEnumerable<(RunDefinition Run, Curve Curve)> CurvesAsync(IGrainFactory grains, string sweepId, SweepGrid grid,
        IAsyncEnumerable<long> indices, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var batch in indices.Chunk(CurveBatch).WithCancellation(cancellationToken))
        {
            foreach (var result in await Of(grains, sweepId, grid, batch))
            {
                if (result?.Curve is { } curve)
                {
                    yield return (grid.RunAt(result.Index), curve);
                }
            }
        }
    }

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
