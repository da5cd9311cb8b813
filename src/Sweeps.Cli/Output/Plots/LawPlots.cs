using ScottPlot;
using Sweeps.Laws;
using Sweeps.Laws.Charts;

namespace Sweeps.Cli.Output.Plots;

/// <summary>The fitted laws over their data (<see cref="LawCharts"/>): markers are data, lines the law.</summary>
internal static class LawPlots
{
    public static void SaveChinchilla(string path, IReadOnlyList<LawPoint> points)
    {
        var plot = new Plot();
        var horizons = points.Select(p => p.TotalSteps).Distinct().Order().ToList();
        var colour = PlotAxes.Viridis(horizons.Select(t => (double)t).ToList());
        foreach (var t in horizons)
        {
            var at = points.Where(p => p.TotalSteps == t).OrderBy(p => p.ModelSize).ToList();
            var x = PlotAxes.Log10(at.Select(p => p.ModelSize));
            var data = plot.Add.ScatterPoints(x, [.. at.Select(p => p.Observed)]);
            (data.Color, data.MarkerSize, data.LegendText) = (colour(t), 8, $"T {t}");
            var law = plot.Add.ScatterLine(x, [.. at.Select(p => p.Predicted)]);
            law.Color = colour(t);
        }

        PlotAxes.Logarithmic(plot.Axes.Bottom, PlotAxes.Log10(points.Select(p => p.ModelSize)));
        Save(plot, path, "best final loss per scale (markers) and Chinchilla L(N, T) = E + A/N^α + B/T^β (lines)", "model size N", "loss");
    }

    public static void SaveOptimalLr(string path, IReadOnlyList<OptimalLrPoint> optima, IReadOnlyList<PowerLawLine> lines)
    {
        var plot = new Plot();
        var horizons = optima.Select(o => o.TotalSteps).Distinct().Order().ToList();
        var colour = PlotAxes.Viridis(horizons.Select(t => (double)t).ToList());
        foreach (var t in horizons)
        {
            var at = optima.Where(o => o.TotalSteps == t).ToList();
            var data = plot.Add.ScatterPoints(PlotAxes.Log10(at.Select(o => o.ModelSize)), PlotAxes.Log10(at.Select(o => o.PeakLr)));
            (data.Color, data.MarkerSize, data.LegendText) = (colour(t), 9, $"T {t}");
        }

        foreach (var line in lines)
        {
            var law = plot.Add.ScatterLine(PlotAxes.Log10(line.ModelSize), PlotAxes.Log10(line.PeakLr));
            law.Color = colour(line.TotalSteps);
        }

        PlotAxes.Logarithmic(plot.Axes.Bottom, PlotAxes.Log10(optima.Select(o => o.ModelSize)));
        PlotAxes.Logarithmic(plot.Axes.Left, PlotAxes.Log10(optima.Select(o => o.PeakLr)));
        Save(plot, path, "optimal peak LR per scale (markers) and η*(N, T) = c·N^a·T^b (lines)", "model size N", "optimal peak LR");
    }

    public static void SaveCurveLaw(string path, FitReport fit, IReadOnlyList<CurvePrediction> runs)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var (run, i) in runs.Select((r, i) => (r, i)))
        {
            var steps = run.Steps.Select(s => (double)s).ToArray();
            var data = plot.Add.ScatterPoints(steps, [.. run.Observed]);
            (data.Color, data.MarkerSize) = (palette.GetColor(i), 3);
            var law = plot.Add.ScatterLine(steps, [.. run.Predicted]);
            (law.Color, law.LineWidth, law.LegendText) = (palette.GetColor(i), 1.5f, $"{run.Schedule}, {run.TotalSteps} steps");
        }

        var scope = string.Join(", ", fit.Scope.Select(s => $"{s.Key} {PlotAxes.G(s.Value)}"));
        Save(plot, path, $"{fit.Law} law ({scope}): markers are data, lines the law", "step", "loss");
    }

    /// <summary>The frame every law plot shares: title, axis labels, legend at the upper right, 1000 × 650.</summary>
    private static void Save(Plot plot, string path, string title, string xLabel, string yLabel)
    {
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1000, 650);
    }
}
