using Sweeps.Contracts;
using Sweeps.Core.Curves;
using Sweeps.Core.Grid;
using Sweeps.Core.Specs;
using Sweeps.Laws;
using Sweeps.Laws.Scaling;

namespace Sweeps.Silo.Reports;

/// <summary>
/// A sweep's results as a reader sees them, streamed from the grains: every run of the grid in
/// order with its record once finished, and the curves of finished runs fetched from their run
/// grains in batches. Nothing is held for the whole sweep, so a million-run sweep exports in
/// bounded memory.
/// </summary>
public sealed class SweepResults(IGrainFactory grains, string sweepId, SweepSpec spec)
{
    public string SweepId { get; } = sweepId;

    public SweepGrid Grid { get; } = new(spec);

    private ISweepGrain Sweep => grains.GetGrain<ISweepGrain>(SweepId);

    /// <summary>The results of sweep <paramref name="sweepId"/>, or null when there is no such sweep.</summary>
    public static async Task<SweepResults?> OpenAsync(IGrainFactory grains, string sweepId) =>
        await grains.GetGrain<ISweepGrain>(sweepId).GetSpec() is { } spec ? new SweepResults(grains, sweepId, spec) : null;

    /// <summary>Every run of the grid in grid order, with its record when it has finished.</summary>
    public async IAsyncEnumerable<(RunDefinition Run, RunRecord? Record)> RowsAsync()
    {
        await using var records = Sweep.ReadRunsAsync().GetAsyncEnumerator();
        var more = await records.MoveNextAsync();
        for (long index = 0; index < Grid.Count; index++)
        {
            RunRecord? record = null;
            if (more && records.Current.Index == index)
            {
                record = records.Current;
                more = await records.MoveNextAsync();
            }

            yield return (Grid.RunAt(index), record);
        }
    }

    /// <summary>The finished runs' records, in grid order.</summary>
    public IAsyncEnumerable<RunRecord> FinishedAsync() => Sweep.ReadRunsAsync();

    /// <summary>The curves of <paramref name="runs"/> (those whose grain kept one), in their order (<see cref="RunResults.CurvesAsync"/>).</summary>
    public IAsyncEnumerable<(RunDefinition Run, Curve Curve)> CurvesAsync(IAsyncEnumerable<RunRecord> runs) =>
        RunResults.CurvesAsync(grains, SweepId, Grid, runs.Select(r => r.Index));
}
