namespace Sweeps.Laws.Adaptive;

/// <summary>
/// Where a sweep's grid needs more peak LRs (<c>adaptive.refine</c>): at each (model size, horizon), the
/// optimum as the sweep's optimal-LR fit reads it (<see cref="OptimalLearningRate.FromGrid"/>: the best curve
/// of loss against peak LR, its lowest point and the peak LRs either side). An optimum at the grid's edge
/// gets the next peak LR beyond it, one grid step out (the ratio to its one neighbour, or 2 alone); one next
/// to a diverged peak LR gets the geometric midpoint towards it; one whose bracket spans more than
/// <c>until</c> in log10 LR gets the midpoints on both sides, which halves the bracket each round. A
/// resolved optimum gets nothing, so refinement ends.
/// </summary>
public static class GridRefinement
{
    /// <summary>Two peak LRs closer than this (relative) are the same point: no midpoint is added between them.</summary>
    private const double SamePeakLr = 1e-6;

    /// <summary>A peak LR to add at one (model size, horizon), and why.</summary>
    public sealed record Addition(double ModelSize, int TotalSteps, double PeakLr, string Reason);

    /// <param name="points">The finished runs' final losses (a diverged run's is NaN).</param>
    /// <param name="predicted">Predicted final losses of runs stopped early, which stand in on the best curve.</param>
    /// <param name="until">The widest bracket, in log10 LR, that counts as resolved.</param>
    public static IReadOnlyList<Addition> Next(IReadOnlyList<FinalLossPoint> points, IReadOnlyList<FinalLossPoint> predicted, double until)
    {
        var additions = new List<Addition>();
        foreach (var optimum in OptimalLearningRate.FromGrid(points, predicted))
        {
            bool OnCurve(FinalLossPoint p) => p.ModelSize == optimum.ModelSize && p.TotalSteps == optimum.TotalSteps
                && p.Schedule == optimum.Schedule && p.WarmupSteps == optimum.WarmupSteps;
            var curve = points.Where(OnCurve).GroupBy(p => p.PeakLr)
                .Select(g => (PeakLr: g.Key, Diverged: g.Any(p => !double.IsFinite(p.FinalLoss))))
                .Concat(predicted.Where(OnCurve).Select(p => (p.PeakLr, Diverged: false)))
                .DistinctBy(p => p.PeakLr).OrderBy(p => p.PeakLr).ToList();
            var best = optimum.GridPeakLr;
            var at = curve.FindIndex(p => p.PeakLr == best);
            (double PeakLr, bool Diverged)? left = at > 0 ? curve[at - 1] : null, right = at < curve.Count - 1 ? curve[at + 1] : null;
            var step = right is { } r ? r.PeakLr / best : left is { } l ? best / l.PeakLr : 2.0;
            void Add(double peakLr, string reason)
            {
                if (curve.All(p => Math.Abs(p.PeakLr / peakLr - 1) > SamePeakLr))
                {
                    additions.Add(new Addition(optimum.ModelSize, optimum.TotalSteps, peakLr, reason));
                }
            }

            if (left is null)
            {
                Add(best / step, "the optimum is the grid's lowest peak LR");
            }

            if (right is null)
            {
                Add(best * step, "the optimum is the grid's highest peak LR");
            }

            if (left is not { } lower || right is not { } upper)
            {
                continue;
            }

            if (lower.Diverged || upper.Diverged)
            {
                foreach (var diverged in new[] { lower, upper }.Where(p => p.Diverged))
                {
                    Add(Math.Sqrt(best * diverged.PeakLr), $"the peak LR next to the optimum, {diverged.PeakLr:G4}, diverged");
                }
            }
            else if (Math.Log10(upper.PeakLr / lower.PeakLr) > until * (1 + 1e-9))
            {
                var width = Math.Log10(upper.PeakLr / lower.PeakLr);
                Add(Math.Sqrt(best * lower.PeakLr), $"the optimum's bracket spans {width:G3} in log10 LR, more than {until:G3}");
                Add(Math.Sqrt(best * upper.PeakLr), $"the optimum's bracket spans {width:G3} in log10 LR, more than {until:G3}");
            }
        }

        return additions;
    }
}
