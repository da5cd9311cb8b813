using ScottPlot;

namespace Sweeps.Cli.Output.Plots;

/// <summary>
/// ScottPlot has no logarithmic axis: values are plotted as log10 and the axis is labelled with the
/// original numbers (ScottPlot's documented recipe).
/// </summary>
internal static class PlotAxes
{
    public static double[] Log10(IEnumerable<double> values) => [.. values.Select(Math.Log10)];

    /// <summary>
    /// Ticks at round numbers of a log10 axis: powers of ten over two decades or more, else 1-2-5
    /// (or every digit when that gives fewer than three) within the range of <paramref name="log10Values"/>.
    /// </summary>
    public static void Logarithmic(IAxis axis, IReadOnlyCollection<double> log10Values)
    {
        if (log10Values.Count == 0)
        {
            return;
        }

        var (low, high) = (log10Values.Min(), log10Values.Max());
        var slack = Math.Max(0.02, (high - low) * 0.05);
        double[] Ticks(int[] mantissas) =>
        [
            .. from decade in Enumerable.Range((int)Math.Floor(low) - 1, (int)Math.Ceiling(high) - (int)Math.Floor(low) + 2)
               from m in mantissas
               let position = decade + Math.Log10(m)
               where position >= low - slack && position <= high + slack
               select position,
        ];
        var ticks = Ticks(high - low >= 2 ? [1] : [1, 2, 5]);
        if (ticks.Length < 3)
        {
            ticks = Ticks([1, 2, 3, 4, 5, 6, 7, 8, 9]);
        }

        axis.SetTicks(ticks, [.. ticks.Select(t => G(Math.Pow(10, t)))]);
    }

    /// <summary>A colour for each distinct value, on Viridis (log-scaled when all are positive).</summary>
    public static Func<double, Color> Viridis(IReadOnlyCollection<double> values)
    {
        var positive = values.All(v => v > 0);
        double T(double v) => positive ? Math.Log(v) : v;
        var (low, high) = (values.Min(T), values.Max(T));
        var map = new ScottPlot.Colormaps.Viridis();
        return v => map.GetColor(high > low ? (T(v) - low) / (high - low) : 0.5);
    }

    public static string G(double value) => value.ToString(value != 0 && (Math.Abs(value) >= 1e6 || Math.Abs(value) < 1e-3) ? "0.##E+0" : "G4", System.Globalization.CultureInfo.InvariantCulture);
}
