namespace Sweeps.Laws.Scaling;

/// <summary>
/// How close a recommended peak LR is to where the sweep's runs diverged: <paramref name="Margin"/> is
/// the smallest ratio, over the swept scales with a diverged run, of the lowest diverged peak LR to
/// that scale's optimum (assumed to hold at the new scale); <paramref name="Level"/> is <c>low</c>
/// (margin ≥ 2), <c>moderate</c> (≥ 1.25), <c>high</c>, or <c>unknown</c> when no run diverged.
/// </summary>
public sealed record DivergenceRisk(string Level, double Margin, string Explanation)
{
    public static DivergenceRisk Of(IReadOnlyList<OptimalLrPoint> optima, IReadOnlyList<FinalLossPoint> diverged)
    {
        var margins = optima
            .Select(o => (o, Lowest: diverged.Where(d => d.ModelSize == o.ModelSize && d.TotalSteps == o.TotalSteps).Select(d => d.PeakLr).DefaultIfEmpty(double.NaN).Min()))
            .Where(m => double.IsFinite(m.Lowest))
            .Select(m => (m.o, Margin: m.Lowest / m.o.PeakLr))
            .ToList();
        if (margins.Count == 0)
        {
            return new DivergenceRisk("unknown", double.NaN, "no run of the sweep diverged, so where divergence starts is not known (above the swept peak LRs)");
        }

        var (closest, margin) = margins.MinBy(m => m.Margin);
        var level = margin >= 2 ? "low" : margin >= 1.25 ? "moderate" : "high";
        return new DivergenceRisk(level, margin,
            $"at model size {closest.ModelSize:G4} and {closest.TotalSteps} steps runs diverged from peak LR {margin * closest.PeakLr:G3}, {margin:F2}× the optimum {closest.PeakLr:G3}");
    }
}
