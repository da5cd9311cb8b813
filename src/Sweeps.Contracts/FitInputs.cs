using Sweeps.Core.Grid;
using Sweeps.Laws;

namespace Sweeps.Contracts;

/// <summary>
/// What laws are fitted on, read from a sweep's grains: a final-loss point per finished run with a
/// loss (a uniform sample past <see cref="FinalLossSample.MaximumPoints"/>) and, when a curve law is
/// asked for, the curves of the first <see cref="MaxCurves"/> of those runs. The one reader of a
/// sweep's fit inputs: the law-fit grain and <c>sweeps predict</c> both read through it.
/// </summary>
/// <param name="FinishedRuns">How many finished runs had a final loss (more than <paramref name="Points"/> when sampled).</param>
/// <param name="SampleNote">Set when the points are a sample, for the final-loss fits' warnings.</param>
/// <param name="Diverged">The runs that diverged, as points with a NaN loss: where a prediction's divergence risk comes from.</param>
/// <param name="Predicted">The runs stopped early with a predicted final loss, as points of that loss: they fill in the optimal-LR brackets.</param>
public sealed record FitInputs(List<FinalLossPoint> Points, List<RunCurve> Curves, long FinishedRuns, string? SampleNote, List<FinalLossPoint> Diverged,
    List<FinalLossPoint> Predicted)
{
    /// <summary>Most run curves handed to a fit: enough for every curve law's scopes, bounded in memory (a curve is a few hundred points).</summary>
    public const int MaxCurves = 20_000;

    /// <summary>Reads the finished runs of sweep <paramref name="sweepId"/> (of grid <paramref name="grid"/>), and their curves when <paramref name="withCurves"/>.</summary>
    public static async Task<FitInputs> ReadAsync(IGrainFactory grains, string sweepId, SweepGrid grid, bool withCurves, CancellationToken cancellationToken = default)
    {
        var points = new FinalLossSample();
        var curveRuns = new List<long>();
        var diverged = new List<FinalLossPoint>();
        var predicted = new List<FinalLossPoint>();
        await foreach (var record in grains.GetGrain<ISweepGrain>(sweepId).ReadRunsAsync().WithCancellation(cancellationToken))
        {
            if (record.Status.HasFinalLoss())
            {
                points.Add(FinalLossPoints.Of(grid.RunAt(record.Index), record.FinalLoss));
                if (withCurves && curveRuns.Count < MaxCurves)
                {
                    curveRuns.Add(record.Index);
                }
            }
            else if (record.Status == RunStatus.Diverged)
            {
                diverged.Add(FinalLossPoints.Of(grid.RunAt(record.Index), double.NaN));
            }
            else if (FinalLossPoints.PredictedOf(grid.RunAt(record.Index), record) is { } stopped)
            {
                predicted.Add(stopped);
            }
        }

        var curves = new List<RunCurve>(curveRuns.Count);
        await foreach (var (run, curve) in RunResults.CurvesAsync(grains, sweepId, grid, curveRuns.ToAsyncEnumerable(), cancellationToken))
        {
            curves.Add(new RunCurve(run, curve) { AsLogged = grid.Spec.IsIngested });
        }

        return new FitInputs(points.Points, curves, points.Seen, points.Note, diverged, predicted);
    }
}
