using Sweeps.Silo.Reports;
using Sweeps.Cli.Results;
using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Laws;
using Sweeps.Laws.Charts;

namespace Sweeps.Cli.Output.Plots;

/// <summary>
/// <c>--plots DIR</c> of <c>sweeps run</c> and <c>watch</c>: PNG pictures of a sweep, drawn with ScottPlot
/// from the same numbers as the web dashboard (<see cref="LawCharts"/>): <c>loss-curves.png</c>,
/// <c>heatmap.png</c> (final loss over peak LR × warmup in the best run's slice), and once fitted
/// <c>chinchilla.png</c>, <c>optimal-lr.png</c> and <c>curve-law.png</c> (the first curve-law fit).
/// </summary>
internal static class SweepPlots
{
    /// <summary>Curves drawn: the first finished runs in grid order.</summary>
    public const int MaxCurves = 300;

    public static async Task<IReadOnlyList<string>> WriteAsync(SweepResults results, SweepStatus status, string directory)
    {
        directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        var grid = results.Grid;
        var finished = new List<RunRecord>();
        await foreach (var record in results.FinishedAsync())
        {
            finished.Add(record);
        }

        string PathOf(string name)
        {
            var path = Path.Combine(directory, name);
            written.Add(path);
            return path;
        }

        var curves = new List<RunCurve>();
        await foreach (var (run, curve) in results.CurvesAsync(finished.Where(r => r.Status != RunStatus.Failed).Take(MaxCurves).ToAsyncEnumerable()))
        {
            curves.Add(new RunCurve(run, curve) { AsLogged = grid.Spec.IsIngested });
        }

        var statusOf = finished.ToDictionary(r => r.Index, r => r.Status);
        if (curves.Count > 0)
        {
            LossCurvesPlot.Save(PathOf("loss-curves.png"), curves, statusOf, finished.Count);
        }

        if (status.BestRunIndex >= 0)
        {
            var best = grid.RunAt(status.BestRunIndex);
            var slice = finished.Select(r => (Run: grid.RunAt(r.Index), Record: r))
                .Where(x => x.Run.ModelSize == best.ModelSize && x.Run.TotalSteps == best.TotalSteps && x.Run.ScheduleName == best.ScheduleName)
                .ToList();
            HeatmapPlot.Save(PathOf("heatmap.png"), slice, best);
        }

        var points = finished.Where(r => r.Status.HasFinalLoss()).Select(r => FinalLossPoints.Of(grid.RunAt(r.Index), r.FinalLoss)).ToList();
        if (LawCharts.Chinchilla(status.Fits, points) is { Count: > 0 } chinchilla)
        {
            LawPlots.SaveChinchilla(PathOf("chinchilla.png"), chinchilla);
        }

        if (status.Fits.FirstOrDefault(f => f.Law == SweepLaws.OptimalLr) is { OptimalLr.Count: > 0 } optimalLr)
        {
            LawPlots.SaveOptimalLr(PathOf("optimal-lr.png"), optimalLr.OptimalLr, LawCharts.OptimalLrLines(optimalLr));
        }

        if (status.Fits.FirstOrDefault(f => Laws.Curves.CurveLaws.Names.Contains(f.Law) && f.Parameters.Count > 0) is { } curveFit
            && LawCharts.CurveLaw(curveFit, curves) is { Count: > 0 } predictions)
        {
            LawPlots.SaveCurveLaw(PathOf("curve-law.png"), curveFit, predictions);
        }

        return written;
    }
}
