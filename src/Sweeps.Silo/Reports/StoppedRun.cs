using Sweeps.Contracts;
using Sweeps.Core.Grid;

namespace Sweeps.Silo.Reports;

/// <summary>
/// Why a run was stopped early: the step it reached, the rule and its reason, read from where its result
/// is kept (the ledger records only that it stopped, and the law rule's predicted final). The console
/// summary shows this; the dashboard reads it per run.
/// </summary>
public sealed record StoppedRun(string RunId, long Index, RunStop? Stop)
{
    /// <summary>The first <paramref name="max"/> stopped runs among <paramref name="runs"/>, in grid order.</summary>
    public static async Task<IReadOnlyList<StoppedRun>> ReadAsync(IGrainFactory grains, string sweepId, SweepGrid grid, IEnumerable<RunRecord> runs, int max)
    {
        var stopped = runs.Where(r => r.Status == RunStatus.Stopped).OrderBy(r => r.Index).Take(max).ToList();
        var results = await RunResults.Of(grains, sweepId, grid, [.. stopped.Select(r => r.Index)]);
        return stopped.Zip(results, (record, result) => new StoppedRun(grid.RunAt(record.Index).RunId, record.Index, result?.Stop)).ToList();
    }
}
