using Orleans.Storage;
using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Grains.Ledger;

namespace Sweeps.Grains.Dispatch;

/// <summary>
/// Finds the runs of a sweep that another sweep of the same store has already finished (same
/// <see cref="RunContent"/>), so that they are read, not run again: extending a grid by one peak LR costs
/// one column of runs. The other sweeps' specs and ledgers are read from storage, not through their grains,
/// which would resume an interrupted sweep as a side effect. Runs that succeeded or diverged are reused;
/// failed and stopped runs are not (a failure may be transient, a stop belongs to its sweep). Sweeps of
/// tasks (<c>runs_per_task</c>), ingested sweeps and grids past <see cref="MaximumRuns"/> on either side are
/// left out: matching holds every run's content key in memory.
/// </summary>
internal static class RunReuse
{
    /// <summary>Most runs in a grid that is matched, this sweep's or another's.</summary>
    public const long MaximumRuns = 200_000;

    private static readonly IReadOnlyDictionary<long, string> None = new Dictionary<long, string>();

    /// <summary>For each grid index of <paramref name="grid"/> that another sweep finished, the key of the run grain that holds its result.</summary>
    public static async Task<IReadOnlyDictionary<long, string>> FindAsync(IGrainFactory grains, IGrainStorage storage, string sweepId, SweepGrid grid)
    {
        if (!Wanted(grid))
        {
            return None;
        }

        var wanted = new Dictionary<string, long>();
        for (long index = 0; index < grid.Count; index++)
        {
            wanted.TryAdd(RunContent.KeyOf(grid.Spec, grid.RunAt(index)), index);
        }

        var found = new Dictionary<long, string>();
        foreach (var entry in await grains.GetGrain<ISweepDirectoryGrain>(ISweepDirectoryGrain.Key).List())
        {
            if (entry.Id == sweepId || entry.TotalRuns > MaximumRuns)
            {
                continue;
            }

            var other = grains.GetGrain<ISweepGrain>(entry.Id).GetGrainId();
            var state = new GrainState<SweepGrainState>(new SweepGrainState());
            await storage.ReadStateAsync(StorageNames.SweepState, other, state);
            // With the runs it added to its grid (adaptive.refine), as the sweep itself expands it.
            if (state.State?.ExpandedSpec is not { } spec || spec.Simulator != grid.Spec.Simulator || spec.CurvePoints != grid.Spec.CurvePoints)
            {
                continue;
            }

            var otherGrid = new SweepGrid(spec);
            if (!Matchable(otherGrid))
            {
                continue;
            }

            var pages = new GrainStorageRunPageStore(storage, other);
            for (var page = 0; (long)page * RunLedger.DefaultPageSize < otherGrid.Count; page++)
            {
                foreach (var record in (await pages.ReadAsync(page)).Records.Where(r => r.Index < otherGrid.Count))
                {
                    var run = otherGrid.RunAt(record.Index);
                    if (record.Status is RunStatus.Succeeded or RunStatus.Diverged
                        && wanted.TryGetValue(RunContent.KeyOf(spec, run), out var index) && !found.ContainsKey(index))
                    {
                        found[index] = RunKeys.Of(entry.Id, run.RunId);
                    }
                }
            }
        }

        return found;
    }

    private static bool Matchable(SweepGrid grid) => !grid.Spec.IsIngested && grid.Spec.TaskSize == 1 && grid.Count <= MaximumRuns;

    private static bool Wanted(SweepGrid grid) => Matchable(grid) && grid.Spec.Reuse != false;
}
