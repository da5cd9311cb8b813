namespace Sweeps.Laws;

/// <summary>
/// Reads the optimal peak LR of each (model size, horizon) off a sweep. Seeds are averaged; the
/// (schedule, warmup) whose best peak LR ends lowest is taken, and its minimum over peak LR is
/// refined by a parabola in log LR through the grid minimum and its two neighbours on that same
/// curve (the law-engine protocol for η*), exact when the loss is quadratic in log LR near its
/// minimum. A minimum whose neighbour is missing or diverged cannot be bracketed: it is the grid
/// point, flagged <see cref="OptimalLrPoint.AtGridEdge"/>. In a sweep that stops runs early, the law
/// rule's predicted final losses of stopped runs stand in for the missing peak LRs of the best curve
/// (they never choose the curve or its minimum: those are the finished runs').
/// </summary>
public static class OptimalLearningRate
{
    /// <param name="predicted">Predicted final losses of runs stopped early, which fill in the best curve's peak LRs that have no finished run.</param>
    public static IReadOnlyList<OptimalLrPoint> FromGrid(IEnumerable<FinalLossPoint> points, IEnumerable<FinalLossPoint>? predicted = null)
    {
        var standIns = (predicted ?? []).Where(p => double.IsFinite(p.FinalLoss)).ToLookup(p => (p.ModelSize, p.TotalSteps, p.Schedule, p.WarmupSteps));
        var result = new List<OptimalLrPoint>();
        foreach (var scale in points.GroupBy(p => (p.ModelSize, p.TotalSteps)).OrderBy(g => g.Key.ModelSize).ThenBy(g => g.Key.TotalSteps))
        {
            // Each (schedule, warmup) is its own curve of loss against peak LR, seeds averaged; a peak
            // LR at which any seed diverged is a diverged point of that curve (NaN).
            var curves = scale
                .GroupBy(p => (p.Schedule, p.WarmupSteps))
                .Select(g => (g.Key.Schedule, g.Key.WarmupSteps, Points: g.GroupBy(p => p.PeakLr)
                    .Select(h => (PeakLr: h.Key, Loss: h.All(p => double.IsFinite(p.FinalLoss)) ? h.Average(p => p.FinalLoss) : double.NaN))
                    .OrderBy(c => c.PeakLr)
                    .ToList()))
                .Where(c => c.Points.Any(p => double.IsFinite(p.Loss)))
                .ToList();
            if (curves.Count == 0)
            {
                continue;
            }

            // The best (schedule, warmup) is the one whose best peak LR is lowest; the optimum is
            // interpolated on its own curve only, never across schedules or across a diverged point.
            var best = curves.MinBy(c => c.Points.Where(p => double.IsFinite(p.Loss)).Min(p => p.Loss));
            var lowest = best.Points.Where(q => double.IsFinite(q.Loss)).Min(q => q.Loss);
            var grid = best.Points
                .Concat(standIns[(scale.Key.ModelSize, scale.Key.TotalSteps, best.Schedule, best.WarmupSteps)]
                    .Where(p => best.Points.All(q => q.PeakLr != p.PeakLr)).GroupBy(p => p.PeakLr)
                    .Select(h => (PeakLr: h.Key, Loss: Math.Max(h.Average(p => p.FinalLoss), lowest)))) // a stand-in never undercuts the minimum
                .OrderBy(c => c.PeakLr).ToList();
            var i = grid.FindIndex(p => p.Loss == lowest);
            var bracketed = i > 0 && i < grid.Count - 1 && double.IsFinite(grid[i - 1].Loss) && double.IsFinite(grid[i + 1].Loss);
            var (peakLr, loss) = bracketed
                ? Parabola((grid[i - 1].PeakLr, best.Schedule, best.WarmupSteps, grid[i - 1].Loss), (grid[i].PeakLr, best.Schedule, best.WarmupSteps, grid[i].Loss),
                    (grid[i + 1].PeakLr, best.Schedule, best.WarmupSteps, grid[i + 1].Loss))
                : (grid[i].PeakLr, grid[i].Loss);
            result.Add(new OptimalLrPoint(scale.Key.ModelSize, scale.Key.TotalSteps, peakLr, loss,
                grid[i].PeakLr, grid[i].Loss, best.Schedule, best.WarmupSteps, AtGridEdge: !bracketed));
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
