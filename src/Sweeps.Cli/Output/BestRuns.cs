using Sweeps.Contracts;
using Sweeps.Core.Grid;

namespace Sweeps.Cli.Output;

/// <summary>
/// The lowest-loss succeeded run of each model size, kept as runs stream past (one entry a model
/// size, whatever the size of the sweep). Ties go to the lower grid index, so the answer does not
/// depend on the order runs arrive in.
/// </summary>
internal sealed class BestRuns(SweepGrid grid)
{
    private readonly Dictionary<double, (RunDefinition Run, double FinalLoss)> _best = [];

    public void Add(RunRecord record)
    {
        if (!record.Status.HasFinalLoss() || !double.IsFinite(record.FinalLoss))
        {
            return;
        }

        var run = grid.RunAt(record.Index);
        if (!_best.TryGetValue(run.ModelSize, out var best) || record.FinalLoss < best.FinalLoss
            || record.FinalLoss == best.FinalLoss && run.Index < best.Run.Index)
        {
            _best[run.ModelSize] = (run, record.FinalLoss);
        }
    }

    public void Clear() => _best.Clear();

    public bool IsEmpty => _best.Count == 0;

    /// <summary>By model size, smallest first.</summary>
    public IEnumerable<(RunDefinition Run, double FinalLoss)> PerModelSize => _best.OrderBy(b => b.Key).Select(b => b.Value);

    /// <summary>
    /// One pass over a sweep's finished runs: the best per model size and the first <paramref name="maxShown"/>
    /// failed runs and stopped runs (in grid order).
    /// </summary>
    public static async Task<(BestRuns Best, IReadOnlyList<RunRecord> Failed, IReadOnlyList<RunRecord> Stopped)> ScanAsync(
        IAsyncEnumerable<RunRecord> finished, SweepGrid grid, int maxShown)
    {
        var best = new BestRuns(grid);
        var failed = new List<RunRecord>();
        var stopped = new List<RunRecord>();
        await foreach (var record in finished)
        {
            best.Add(record);
            var list = record.Status switch { RunStatus.Failed => failed, RunStatus.Stopped => stopped, _ => null };
            if (list is not null && list.Count < maxShown)
            {
                list.Add(record);
            }
        }

        return (best, failed, stopped);
    }
}
