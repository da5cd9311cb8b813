using Sweeps.Laws.Curves;

namespace Sweeps.Laws;

/// <summary>
/// Fits the laws a sweep spec names to its finished runs. Chinchilla is fitted to the best final
/// loss of each (model size, horizon), the loss at that scale's best hyper-parameters, because
/// runs at a poor LR do not follow a scaling law. <c>optimal_lr</c> reports each scale's optimum and
/// the power law η*(N, T) = c·N^a·T^b through them. Coefficients carry 95% intervals: exact
/// t-intervals for the η* regression, a percentile bootstrap for the others.
/// </summary>
public static class SweepLaws
{
    public const string OptimalLr = Sweeps.Core.Specs.KnownLaws.OptimalLr;

    /// <summary>Bootstrap resamples for the Chinchilla intervals when a spec does not say (a Chinchilla fit takes milliseconds).</summary>
    public const int DefaultChinchillaBootstrap = 100;

    /// <param name="bootstrap">
    /// Resamples for bootstrap intervals (the spec's <c>bootstrap</c>); unset: <see cref="DefaultChinchillaBootstrap"/>
    /// for Chinchilla and none for curve laws, whose refits cost seconds per group. 0 turns them off.
    /// </param>
    /// <param name="predicted">Predicted final losses of runs stopped early (<see cref="OptimalLearningRate.FromGrid"/>).</param>
    public static IReadOnlyList<FitReport> Fit(
        IReadOnlyCollection<string> laws, IReadOnlyList<FinalLossPoint> points, IReadOnlyList<RunCurve>? curves = null, int? bootstrap = null,
        IReadOnlyList<FinalLossPoint>? predicted = null)
    {
        var optima = OptimalLearningRate.FromGrid(points, predicted);
        var reports = new List<FitReport>();
        foreach (var law in laws)
        {
            reports.AddRange(law switch
            {
                Chinchilla.LawName => ChinchillaReport(optima, bootstrap ?? DefaultChinchillaBootstrap),
                OptimalLr => OptimalLrReport(optima, predicted?.Count ?? 0),
                _ when CurveLaws.Names.Contains(law) => null,
                _ => new FitReport(law) { Warnings = [$"unknown law '{law}'"] },
            } is { } report ? [report] : FitCurveLaw(law, curves ?? [], bootstrap ?? 0));
        }

        return reports;
    }

    private static FitReport ChinchillaReport(IReadOnlyList<OptimalLrPoint> optima, int bootstrap)
    {
        var observations = optima.Select(o => new Chinchilla.Observation(o.ModelSize, o.TotalSteps, o.GridLoss)).ToList();
        var report = Chinchilla.Fit(observations);
        if (report.Parameters.Count == 0 || bootstrap <= 0)
        {
            return report;
        }

        var intervals = Bootstrap.Chinchilla(observations, report.Parameters, bootstrap);
        return report with { Intervals = intervals.Intervals, Warnings = [.. report.Warnings, .. intervals.Warnings] };
    }

    /// <summary>
    /// A curve law per (model size, peak LR, warmup): one joint fit over the curves of every
    /// schedule, horizon and seed in the group, as the MPL paper fits one parameter set across
    /// schedules. Kernel curves record the loss after t updates; the laws' convention is that a point
    /// at step s has seen η_0..η_s, so t maps to s = t − 1. As in the MPL paper only post-warmup
    /// points are fitted (during warmup the LR area is near zero and the laws do not apply).
    /// </summary>
    private static IEnumerable<FitReport> FitCurveLaw(string law, IReadOnlyList<RunCurve> curves, int bootstrap)
    {
        if (curves.Count == 0)
        {
            yield return new FitReport(law) { Warnings = ["no run curves to fit"] };
            yield break;
        }

        var groups = curves.GroupBy(c => (c.Run.ModelSize, c.Run.PeakLr, c.Run.WarmupSteps))
            .OrderBy(g => g.Key.ModelSize).ThenBy(g => g.Key.PeakLr).ThenBy(g => g.Key.WarmupSteps)
            .ToList();
        // Groups are independent fits: spread them over the cores, keep their order.
        foreach (var report in groups.AsParallel().AsOrdered().Select(g => FitGroup(law, g.Key, [.. g], bootstrap)))
        {
            yield return report;
        }
    }

    private static FitReport FitGroup(string law, (double ModelSize, double PeakLr, int WarmupSteps) key, IReadOnlyList<RunCurve> group, int bootstrap)
    {
        var observations = group.Select(Observe).Where(o => o.Loss.Length > 0).ToList();
        var scope = new Dictionary<string, double>
        {
            ["model_size"] = key.ModelSize,
            ["peak_lr"] = key.PeakLr,
            ["warmup_steps"] = key.WarmupSteps,
        };
        FitReport report;
        try
        {
            report = CurveLaws.Fit(law, observations);
        }
        catch (Exception e) when (e is ArgumentException or ArithmeticException)
        {
            report = new FitReport(law) { Warnings = [$"fit failed: {e.Message}"] };
        }

        if (report.Parameters.Count > 0)
        {
            var metrics = observations.Select(o => FitMetrics.Of(o.Loss, CurveLaws.Predict(law, report.Parameters, o.Curve))).ToList();
            var intervals = bootstrap > 0 ? Bootstrap.CurveLaw(law, observations, report.Parameters, bootstrap, mplMethod: report.Method) : new Bootstrap.Result(report.Intervals, []);
            report = report with
            {
                Metrics = FitMetrics.Mean(metrics),
                Intervals = intervals.Intervals,
                Warnings = [.. report.Warnings, .. intervals.Warnings],
            };
        }

        return report with { Scope = scope };
    }

    /// <summary>
    /// A run's curve as a curve law sees it: post-warmup points, step t as s = t − 1, with the run's LR
    /// schedule; an ingested log as it was logged (<see cref="RunCurve.AsLogged"/>).
    /// </summary>
    internal static MplObservation Observe(RunCurve runCurve)
    {
        var lr = Core.Schedules.Schedule.Evaluate(runCurve.Run.Schedule);
        if (runCurve.AsLogged)
        {
            return new MplObservation(runCurve.Run.RunId, new MplCurve(lr, runCurve.Curve.Steps), runCurve.Curve.Loss);
        }

        var points = Enumerable.Range(0, runCurve.Curve.Count)
            .Where(i => runCurve.Curve.Steps[i] - 1 >= Math.Max(runCurve.Run.Schedule.EffectiveWarmupSteps, 1)
                && runCurve.Curve.Steps[i] <= lr.Length && double.IsFinite(runCurve.Curve.Loss[i]) && runCurve.Curve.Loss[i] > 0)
            .ToArray();
        return new MplObservation(runCurve.Run.RunId, new MplCurve(lr, points.Select(i => runCurve.Curve.Steps[i] - 1).ToArray()),
            points.Select(i => runCurve.Curve.Loss[i]).ToArray());
    }

    /// <summary>The optimum of each (N, T), and the power law η*(N, T) = c·N^a·T^b through them when there are enough.</summary>
    private static FitReport OptimalLrReport(IReadOnlyList<OptimalLrPoint> optima, int predicted)
    {
        var warnings = optima.Where(o => o.AtGridEdge)
            .Select(o => $"model_size {o.ModelSize:G4}, total_steps {o.TotalSteps}: the best peak LR {o.GridPeakLr:G4} cannot be bracketed (it is at the edge of the grid, or a neighbouring peak LR diverged); widen or refine peak_lr")
            .ToList();
        if (predicted > 0)
        {
            warnings.Add($"{predicted} runs were stopped early with a predicted final loss: where one neighbours a best peak LR, its prediction brackets the optimum");
        }

        var (scaling, metrics, problem) = OptimalLrScaling.Fit(optima);
        if (problem is not null)
        {
            warnings.Add(problem);
        }

        return new FitReport(OptimalLr)
        {
            OptimalLr = optima,
            Parameters = scaling?.ToDictionary() ?? new Dictionary<string, double>(),
            Intervals = OptimalLrScaling.ConfidenceIntervals(optima),
            Metrics = metrics,
            // The metrics describe the η* power law, fitted on the interior optima only.
            Points = scaling is null ? optima.Count : optima.Count(o => !o.AtGridEdge),
            Converged = true,
            Warnings = warnings,
        };
    }
}
