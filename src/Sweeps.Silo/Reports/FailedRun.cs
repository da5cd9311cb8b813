using Sweeps.Contracts;
using Sweeps.Core.Grid;

namespace Sweeps.Silo.Reports;

/// <summary>
/// Why a run failed: its error and the last lines it wrote (command runs), read from where its
/// result is kept. The ledger records only that it failed; the console summary and the dashboard
/// show this.
/// </summary>
public sealed record FailedRun(string RunId, long Index, string? Error, IReadOnlyList<string> LogTail)
{
    /// <summary>The first <paramref name="max"/> failed runs among <paramref name="runs"/>, in grid order.</summary>
    public static async Task<IReadOnlyList<FailedRun>> ReadAsync(IGrainFactory grains, string sweepId, SweepGrid grid, IEnumerable<RunRecord> runs, int max)
    {
        var failed = runs.Where(r => r.Status == RunStatus.Failed).OrderBy(r => r.Index).Take(max).ToList();
        var results = await Task.WhenAll(failed.Select(r => RunResults.Of(grains, sweepId, grid, r.Index)));
        return failed.Zip(results, (record, result) => new FailedRun(
            grid.RunAt(record.Index).RunId, record.Index, result?.Error ?? "(no result stored)", result?.LogTail ?? [])).ToList();
    }
}
