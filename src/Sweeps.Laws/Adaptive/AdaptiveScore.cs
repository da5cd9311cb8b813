namespace Sweeps.Laws.Adaptive;

/// <summary>
/// How an adaptive sweep compares with the full grid it saves on: the share of the grid's steps it
/// simulated, the regret of the best run it would pick (per model size and horizon, as a fraction of
/// the full grid's best final loss there), and how far the optimal peak LR η* it finds at each (N, T), which
/// the η*(N, T) law is fitted to, moved from the full grid's.
/// </summary>
public sealed record AdaptiveScore(double StepsShare, double MaxRegret, double EtaStarShift)
{
    /// <param name="full">The full grid's outcomes.</param>
    /// <param name="adaptive">The same runs under a stopping rule.</param>
    /// <param name="usePredictions">Whether a stopped run's predicted final loss counts in the η* fit (the law rule keeps one; the pruners have none).</param>
    public static AdaptiveScore Of(IReadOnlyList<AdaptiveReplay.Outcome> full, IReadOnlyList<AdaptiveReplay.Outcome> adaptive, bool usePredictions)
    {
        var share = adaptive.Sum(o => (double)o.StepsRun) / full.Sum(o => (double)o.StepsRun);
        var regret = 0.0;
        foreach (var cell in full.GroupBy(o => (o.Run.ModelSize, o.Run.TotalSteps)))
        {
            var best = cell.Select(o => o.FinalLoss).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Min();
            var chosen = adaptive.Where(o => (o.Run.ModelSize, o.Run.TotalSteps) == cell.Key)
                .Select(o => o.FinalLoss).Where(double.IsFinite).DefaultIfEmpty(double.PositiveInfinity).Min();
            if (double.IsFinite(best))
            {
                regret = Math.Max(regret, (chosen - best) / best);
            }
        }

        return new AdaptiveScore(share, regret, LargestEtaStarShift(full, adaptive, usePredictions));
    }

    /// <summary>
    /// The largest |η*_adaptive / η*_full − 1| over the grid's (N, T), each η* the sweep's own optimum there
    /// (<see cref="OptimalLearningRate.FromGrid"/>: interpolated in log LR), the points the η*(N, T) law is
    /// fitted to; NaN when a (N, T) has an optimum in the full grid and none left in the adaptive one.
    /// </summary>
    private static double LargestEtaStarShift(IReadOnlyList<AdaptiveReplay.Outcome> full, IReadOnlyList<AdaptiveReplay.Outcome> adaptive, bool usePredictions)
    {
        var moved = Optima(adaptive, usePredictions).ToDictionary(o => (o.ModelSize, o.TotalSteps), o => o.PeakLr);
        var shift = 0.0;
        foreach (var reference in Optima(full, false))
        {
            if (!moved.TryGetValue((reference.ModelSize, reference.TotalSteps), out var peakLr))
            {
                return double.NaN;
            }

            shift = Math.Max(shift, Math.Abs(peakLr / reference.PeakLr - 1));
        }

        return shift;
    }

    /// <summary>
    /// The sweep's optima as its own optimal-LR fit reads them: a diverged run is a diverged point of its
    /// curve (NaN), and a stopped run's predicted final loss (the law rule's; the pruners keep none) fills in
    /// its peak LR on the best curve.
    /// </summary>
    private static IReadOnlyList<OptimalLrPoint> Optima(IReadOnlyList<AdaptiveReplay.Outcome> outcomes, bool usePredictions)
    {
        FinalLossPoint PointOf(AdaptiveReplay.Outcome o, double loss) =>
            new(o.Run.ModelSize, o.Run.TotalSteps, o.Run.PeakLr, o.Run.WarmupSteps, o.Run.ScheduleName, o.Run.Seed, loss);
        var predicted = usePredictions ? outcomes.Where(o => o is { Stopped: true, PredictedFinal: not null }).Select(o => PointOf(o, o.PredictedFinal!.Value)) : [];
        return OptimalLearningRate.FromGrid(outcomes.Where(o => !o.Stopped).Select(o => PointOf(o, o.FinalLoss)), predicted);
    }
}
