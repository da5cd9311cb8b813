using ScottPlot;
using Sweeps.Contracts;
using Sweeps.Core.Grid;

namespace Sweeps.Cli.Output.Plots;

/// <summary>Final loss over peak LR × warmup for one (model size, horizon, schedule); grey cells diverged or failed, the optimum marked.</summary>
internal static class HeatmapPlot
{
    public static void Save(string path, IReadOnlyList<(RunDefinition Run, RunRecord Record)> slice, RunDefinition best)
    {
        var lrs = slice.Select(x => x.Run.PeakLr).Distinct().Order().ToList();
        var warmups = slice.Select(x => x.Run.WarmupSteps).Distinct().Order().ToList();
        var loss = new double[warmups.Count, lrs.Count];
        for (var i = 0; i < warmups.Count; i++)
        {
            for (var j = 0; j < lrs.Count; j++)
            {
                loss[i, j] = double.NaN;
            }
        }

        foreach (var (run, record) in slice.Where(x => x.Record.Status.HasFinalLoss()))
        {
            // Row 0 is drawn at the top: the largest warmup goes there.
            loss[warmups.Count - 1 - warmups.IndexOf(run.WarmupSteps), lrs.IndexOf(run.PeakLr)] = record.FinalLoss;
        }

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(loss);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.NaNCellColor = Colors.LightGray;
        plot.Add.ColorBar(heatmap).Label = "final loss";
        plot.Add.Marker(lrs.IndexOf(best.PeakLr), warmups.IndexOf(best.WarmupSteps), MarkerShape.FilledDiamond, 14, Colors.OrangeRed);
        plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, lrs.Count).Select(i => (double)i)], [.. lrs.Select(PlotAxes.G)]);
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, warmups.Count).Select(i => (double)i)], [.. warmups.Select(w => w.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        plot.Title($"final loss, model size {PlotAxes.G(best.ModelSize)}, {best.TotalSteps} steps, {best.ScheduleName} (◆ best; grey: diverged or failed)");
        plot.XLabel("peak LR");
        plot.YLabel("warmup steps");
        plot.SavePng(path, 1000, 600);
    }
}
