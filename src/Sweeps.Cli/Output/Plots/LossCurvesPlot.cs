using ScottPlot;
using Sweeps.Contracts;
using Sweeps.Laws;

namespace Sweeps.Cli.Output.Plots;

/// <summary>Loss curves on log-log axes, coloured by peak LR; diverged runs dashed and cut at the top of the others.</summary>
internal static class LossCurvesPlot
{
    public static void Save(string path, IReadOnlyList<RunCurve> curves, IReadOnlyDictionary<long, RunStatus> status, int finished)
    {
        var plot = new Plot();
        var colour = PlotAxes.Viridis(curves.Select(c => c.Run.PeakLr).Distinct().ToList());
        var calm = curves.Where(c => status.GetValueOrDefault(c.Run.Index) != RunStatus.Diverged)
            .SelectMany(c => c.Curve.Loss).Where(l => double.IsFinite(l) && l > 0).DefaultIfEmpty(1).Max();
        var (allSteps, allLosses) = (new List<double>(), new List<double>());
        foreach (var curve in curves)
        {
            var points = Enumerable.Range(0, curve.Curve.Steps.Length)
                .Where(i => curve.Curve.Steps[i] > 0 && double.IsFinite(curve.Curve.Loss[i]) && curve.Curve.Loss[i] > 0)
                .Select(i => (Step: (double)curve.Curve.Steps[i], Loss: Math.Min(curve.Curve.Loss[i], calm * 1.2)))
                .ToList();
            if (points.Count < 2)
            {
                continue;
            }

            var (x, y) = (PlotAxes.Log10(points.Select(p => p.Step)), PlotAxes.Log10(points.Select(p => p.Loss)));
            allSteps.AddRange([x[0], x[^1]]);
            allLosses.AddRange(y);
            var line = plot.Add.ScatterLine(x, y);
            line.Color = colour(curve.Run.PeakLr).WithAlpha(0.8);
            line.LineWidth = 1;
            line.LinePattern = status.GetValueOrDefault(curve.Run.Index) == RunStatus.Diverged ? LinePattern.Dashed : LinePattern.Solid;
        }

        PlotAxes.Logarithmic(plot.Axes.Bottom, allSteps);
        PlotAxes.Logarithmic(plot.Axes.Left, allLosses);
        var lrs = curves.Select(c => c.Run.PeakLr).Distinct().Order().ToList();
        plot.Title($"loss curves of {curves.Count} of {finished} finished runs, coloured by peak LR ({PlotAxes.G(lrs[0])} purple … {PlotAxes.G(lrs[^1])} yellow); dashed: diverged");
        plot.XLabel("step");
        plot.YLabel("loss");
        plot.SavePng(path, 1100, 700);
    }
}
