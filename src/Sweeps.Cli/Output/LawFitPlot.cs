using Sweeps.Laws.Curves;

namespace Sweeps.Cli.Output;

/// <summary>
/// Draws a curve-law fit with ScottPlot: each curve's measured loss as markers and the law's
/// prediction as a line (solid for training curves, dashed for held-out ones).
/// </summary>
internal static class LawFitPlot
{
    /// <param name="predict">The law's loss at each point of a curve.</param>
    public static void Save(string path, string law, Func<MplObservation, double[]> predict,
        IReadOnlyList<MplObservation> train, IReadOnlyList<MplObservation> test, int width = 1000, int height = 650)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        foreach (var (observation, held) in train.Select(o => (o, false)).Concat(test.Select(o => (o, true))))
        {
            var colour = palette.GetColor(index++);
            var steps = observation.Curve.Steps.Select(s => (double)s).ToArray();
            var data = plot.Add.ScatterPoints(steps, observation.Loss);
            data.Color = colour;
            data.MarkerSize = 3;
            var line = plot.Add.ScatterLine(steps, predict(observation));
            line.Color = colour;
            line.LineWidth = 1.5f;
            line.LinePattern = held ? ScottPlot.LinePattern.Dashed : ScottPlot.LinePattern.Solid;
            line.LegendText = held ? $"{observation.Name} (held out)" : observation.Name;
        }

        plot.Title($"{law} fit: markers are data, lines the law (dashed: held out)");
        plot.XLabel("step");
        plot.YLabel("loss");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.SavePng(path, width, height);
    }
}
