namespace Sweeps.Laws;

/// <summary>
/// Reads the optimal peak LR of each (model size, horizon) off a sweep. Seeds are averaged; for
/// each peak LR the best warmup and schedule are taken; then the minimum over peak LR is refined by
/// a parabola in log LR through the grid minimum and its two neighbours (the law-engine protocol
/// for η*), which is exact when the loss is quadratic in log LR near its minimum.
/// </summary>
public static class OptimalLearningRate
{
    public static IReadOnlyList<OptimalLrPoint> FromGrid(IEnumerable<FinalLossPoint> points)
    {
        var finite = points.Where(p => double.IsFinite(p.FinalLoss)).ToList();
        var result = new List<OptimalLrPoint>();
        foreach (var scale in finite.GroupBy(p => (p.ModelSize, p.TotalSteps)).OrderBy(g => g.Key.ModelSize).ThenBy(g => g.Key.TotalSteps))
        {
            // Mean over seeds, then the best (schedule, warmup) at each peak LR.
            var byLr = scale
                .GroupBy(p => (p.PeakLr, p.Schedule, p.WarmupSteps))
                .Select(g => (g.Key.PeakLr, g.Key.Schedule, g.Key.WarmupSteps, Loss: g.Average(p => p.FinalLoss)))
                .GroupBy(c => c.PeakLr)
                .Select(g => g.MinBy(c => c.Loss))
                .OrderBy(c => c.PeakLr)
                .ToList();
            var best = byLr.Select((c, i) => (c, i)).MinBy(x => x.c.Loss);
            var (peakLr, loss) = (best.c.PeakLr, best.c.Loss);
            var atEdge = byLr.Count < 3 || best.i == 0 || best.i == byLr.Count - 1;
            if (!atEdge)
            {
                (peakLr, loss) = Parabola(byLr[best.i - 1], best.c, byLr[best.i + 1]);
            }

            result.Add(new OptimalLrPoint(scale.Key.ModelSize, scale.Key.TotalSteps, peakLr, loss,
                best.c.PeakLr, best.c.Loss, best.c.Schedule, best.c.WarmupSteps, atEdge));
        }

        return result;
    }

    /// <summary>Vertex of the parabola through three points (x = log LR), clamped to the outer two.</summary>
    internal static (double PeakLr, double Loss) Parabola(
        (double PeakLr, string, int, double Loss) left,
        (double PeakLr, string, int, double Loss) middle,
        (double PeakLr, string, int, double Loss) right)
    {
        double x0 = Math.Log(left.PeakLr), x1 = Math.Log(middle.PeakLr), x2 = Math.Log(right.PeakLr);
        double y0 = left.Loss, y1 = middle.Loss, y2 = right.Loss;
        var denominator = (x0 - x1) * (x0 - x2) * (x1 - x2);
        var a = (x2 * (y1 - y0) + x1 * (y0 - y2) + x0 * (y2 - y1)) / denominator;
        var b = (x2 * x2 * (y0 - y1) + x1 * x1 * (y2 - y0) + x0 * x0 * (y1 - y2)) / denominator;
        var c = y1 - a * x1 * x1 - b * x1;
        if (!(a > 0))
        {
            return (middle.PeakLr, middle.Loss); // flat or not convex: keep the grid point
        }

        var x = Math.Clamp(-b / (2 * a), x0, x2);
        return (Math.Exp(x), a * x * x + b * x + c);
    }
}
