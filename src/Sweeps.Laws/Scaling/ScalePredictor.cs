using Sweeps.Laws.Curves;
using Sweeps.Laws.ScheduleSearch;
using Sweeps.Laws.Solvers;

namespace Sweeps.Laws.Scaling;

/// <summary>
/// Predicts the best configuration at a scale nobody has trained, from a sweep at smaller scales:
/// <list type="number">
/// <item>The peak LR, three ways: the power law η*(N, T) = c·N^a·T^b through the sweep's interpolated
/// optima, with its 95% prediction interval; the convex bound's η* ∝ 1/√T (b fixed at −1/2), with
/// its own; and the minimum over peak LR of the multi-scale loss law's final loss (recommended when
/// the law is fitted: it extrapolates the mechanism, not a trend; on the simulator it lands within a
/// few per cent where the regression is 16% off, docs/benchmarks.md). The interval reported spans
/// the regression's interval and the law's optimum. Warnings say where the answers disagree.</item>
/// <item>The loss: a <see cref="MultiScaleMpl"/> fitted to the curves near each swept scale's optimum
/// (the three grid peaks closest to it, at its best warmup), evaluated at the new size for each
/// baseline schedule and for its own optimal schedule (<see cref="MplScheduleOptimizer"/>).</item>
/// </list>
/// </summary>
public static class ScalePredictor
{
    /// <summary>Grid peaks per swept scale whose curves the loss law is fitted to: the optimum's parabola.</summary>
    public const int PeaksPerScale = 3;

    /// <param name="points">Final losses of the finished runs.</param>
    /// <param name="curves">Their curves (the loss law needs them; without, no loss is predicted).</param>
    /// <param name="diverged">Runs that diverged (their final loss is not used), for the divergence risk.</param>
    /// <param name="warmupSteps">The warmup to recommend; null: the best warmup at the largest swept scale.</param>
    /// <param name="schedules">Which of the baseline schedules (and <c>optimal</c>) to predict; null: all.</param>
    /// <param name="progress">Told, in a line, each stage of the (slow) loss-law fit and search as it starts or advances.</param>
    public static ScalePrediction Predict(
        IReadOnlyList<FinalLossPoint> points, IReadOnlyList<RunCurve> curves, IReadOnlyList<FinalLossPoint> diverged,
        double modelSize, int totalSteps, int? warmupSteps = null, IReadOnlyCollection<string>? schedules = null, Action<string>? progress = null)
    {
        var warnings = new List<string>();
        var optima = OptimalLearningRate.FromGrid(points);
        var coefficients = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        var answers = new List<PeakLrAnswer>();

        var sweep = OptimalLrScaling.Predict(optima, modelSize, totalSteps);
        var convex = OptimalLrScaling.Predict(optima, modelSize, totalSteps, horizonExponent: -0.5);
        foreach (var (method, answer) in new[] { ("sweep_minima", sweep), ("convex_bound", convex) })
        {
            if (answer.Problem is not null)
            {
                warnings.Add($"{method}: {answer.Problem}");
                continue;
            }

            answers.Add(new PeakLrAnswer(method, answer.PeakLr, answer.Interval, answer.Fit.ToDictionary()));
            coefficients[method == "sweep_minima" ? "optimal_lr" : "optimal_lr_convex"] = answer.Fit.ToDictionary();
        }

        if (answers.Count == 2 && (answers[0].Interval[1] < answers[1].Interval[0] || answers[1].Interval[1] < answers[0].Interval[0]))
        {
            warnings.Add($"the sweep's optima give η* = {answers[0].PeakLr:G3} [{answers[0].Interval[0]:G3}, {answers[0].Interval[1]:G3}] (T exponent {answers[0].Coefficients["b"]:F3}); " +
                $"the convex bound's η* ∝ 1/√T gives {answers[1].PeakLr:G3} [{answers[1].Interval[0]:G3}, {answers[1].Interval[1]:G3}]; their intervals do not overlap (the bound's exponent is a worst case for convex losses, the sweep's is measured)");
        }

        var edge = optima.Count(o => o.AtGridEdge);
        if (edge > 0)
        {
            warnings.Add($"{edge} of {optima.Count} swept scales have their best peak LR at the edge of the grid and are left out of η*(N, T); widen peak_lr");
        }

        var extrapolation = points.Count == 0
            ? new Dictionary<string, double>()
            : FittedRange.Of(points.Select(p => (p.ModelSize, p.TotalSteps, p.PeakLr, p.WarmupSteps)).ToList()).Extrapolation(modelSize, totalSteps, warnings);
        var warmup = warmupSteps ?? RecommendedWarmup(optima, points, warnings);
        var chinchilla = FitChinchilla(optima, coefficients);

        var (law, lawFit) = FitLossLaw(optima, curves, warnings, progress);
        var regression = answers.FirstOrDefault(a => a.Method == "sweep_minima");
        var recommended = regression?.PeakLr ?? double.NaN;
        var interval = regression?.Interval ?? [double.NaN, double.NaN];
        var predicted = new Dictionary<string, double>();
        var bySchedule = new Dictionary<string, double>();
        double[]? optimalSchedule = null;
        if (law is not null)
        {
            var around = double.IsFinite(recommended) ? recommended : optima.Max(o => o.PeakLr);
            var asked = AskLaw(law, modelSize, totalSteps, warmup, around, schedules, coefficients, warnings, progress);
            answers.Add(new PeakLrAnswer("loss_law", asked.PeakLr, [double.NaN, double.NaN], new Dictionary<string, double>()));

            // The loss law models the whole loss surface and is recommended; the interval spans the
            // regression's prediction interval and the law's optimum, so it is never narrower than
            // the disagreement of the two measured methods.
            if (double.IsFinite(recommended) && (asked.PeakLr < interval[0] || asked.PeakLr > interval[1]))
            {
                warnings.Add($"the loss law's optimum {asked.PeakLr:G3} lies outside the sweep-minima regression's 95% interval [{interval[0]:G3}, {interval[1]:G3}]; the interval reported spans both");
            }

            interval = double.IsFinite(recommended) ? [Math.Min(interval[0], asked.PeakLr), Math.Max(interval[1], asked.PeakLr)] : [double.NaN, double.NaN];
            if (!double.IsFinite(recommended))
            {
                warnings.Add("no power law through the sweep's optima: the peak LR is the loss law's optimum, without an interval");
            }

            (recommended, predicted, bySchedule, optimalSchedule) = (asked.PeakLr, asked.FinalLoss, asked.PeakLrBySchedule, asked.OptimalSchedule);
        }

        return new ScalePrediction(modelSize, totalSteps, recommended, interval, warmup, predicted, coefficients, DivergenceRisk.Of(optima, diverged), warnings)
        {
            PeakLrAnswers = answers,
            Extrapolation = extrapolation,
            StructureScores = lawFit?.StructureScores ?? new Dictionary<string, double>(),
            StructureCriterion = lawFit?.Criterion,
            ChinchillaFinalLoss = chinchilla?.Predict(modelSize, totalSteps) ?? double.NaN,
            ComputeOptimalFrontier = chinchilla is null ? [] : Frontier(chinchilla, points, modelSize, totalSteps, warnings),
            OptimalSchedule = optimalSchedule,
            OptimalPeakLrBySchedule = bySchedule,
        };
    }

    /// <summary>
    /// The recommendation from a multi-scale MPL alone (<c>sweeps predict --fit</c>, offline): the
    /// peak LR is the law's optimum (no sweep optima, so no interval on it and no divergence risk),
    /// the warmup is <paramref name="warmupSteps"/> or the largest of the fitted curves'.
    /// </summary>
    /// <param name="range">The scales the law was fitted on (null: extrapolation distance unknown).</param>
    public static ScalePrediction PredictFromLaw(
        MultiScaleMpl law, FittedRange? range, double modelSize, int totalSteps, int? warmupSteps = null, IReadOnlyCollection<string>? schedules = null)
    {
        var warnings = new List<string>();
        var extrapolation = range?.Extrapolation(modelSize, totalSteps, warnings) ?? new Dictionary<string, double>();
        if (range is null)
        {
            warnings.Add("the fit has no fitted range, so how far this prediction extrapolates is not known");
        }

        var warmup = warmupSteps ?? range?.WarmupSteps[1] ?? 0;
        if (warmupSteps is null)
        {
            warnings.Add($"warmup is not predicted by a fit: {warmup} steps, the longest warmup of the fitted curves (give --warmup-steps to choose)");
        }

        var coefficients = new Dictionary<string, IReadOnlyDictionary<string, double>>();
        var asked = AskLaw(law, modelSize, totalSteps, warmup, law.ReferenceLr, schedules, coefficients, warnings);
        warnings.Add("predicted from a fit alone: the peak LR has no interval (a sweep's optima give one) and the divergence risk is unknown");
        return new ScalePrediction(modelSize, totalSteps, asked.PeakLr, [double.NaN, double.NaN], warmup, asked.FinalLoss, coefficients,
            new DivergenceRisk("unknown", double.NaN, "predicted from a fit, without the sweep's diverged runs"), warnings)
        {
            PeakLrAnswers = [new PeakLrAnswer("loss_law", asked.PeakLr, [double.NaN, double.NaN], new Dictionary<string, double>())],
            Extrapolation = extrapolation,
            OptimalSchedule = asked.OptimalSchedule,
            OptimalPeakLrBySchedule = asked.PeakLrBySchedule,
        };
    }

    /// <summary>What the loss law answers at the target: its optimal peak LR, overall and per schedule, and the final losses there.</summary>
    private sealed record LawAnswers(double PeakLr, Dictionary<string, double> PeakLrBySchedule, Dictionary<string, double> FinalLoss, double[]? OptimalSchedule);

    private static LawAnswers AskLaw(
        MultiScaleMpl law, double modelSize, int totalSteps, int warmup, double around, IReadOnlyCollection<string>? schedules,
        Dictionary<string, IReadOnlyDictionary<string, double>> coefficients, List<string> warnings, Action<string>? progress = null)
    {
        coefficients["multi_scale_mpl"] = law.Coefficients();
        progress?.Invoke($"the law's optimal peak LR at N = {modelSize:G3}, {totalSteps} steps, overall and for each schedule");
        if (!law.FitsLrSlope)
        {
            warnings.Add("the law was fitted to curves of one peak LR, so it cannot tell how the loss floor rises with the peak LR: its optimal peak LR is not meaningful");
        }

        var optimum = LawOptimum(law, modelSize, totalSteps, warmup, around, shape: null);
        var bySchedule = BaselineSchedules.Shapes.Keys.Where(n => schedules is null || schedules.Contains(n))
            .ToDictionary(name => name, name => LawOptimum(law, modelSize, totalSteps, warmup, around, BaselineSchedules.Shapes[name]));
        var parameters = law.At(modelSize, optimum);
        coefficients["mpl_at_target"] = parameters.ToDictionary();
        var problem = new ScheduleProblem(totalSteps, optimum, warmup);
        var finalLoss = BaselineSchedules.For(problem).Where(s => s.Value is not null && (schedules is null || schedules.Contains(s.Key)))
            .ToDictionary(s => s.Key, s => MplFinalLoss.Value(parameters, s.Value!));
        double[]? optimalSchedule = null;
        if (schedules is null || schedules.Contains("optimal"))
        {
            progress?.Invoke($"the law-optimal schedule of {totalSteps} steps");
            var best = MplScheduleOptimizer.Optimize(parameters, problem);
            finalLoss["optimal"] = best.PredictedFinalLoss;
            optimalSchedule = best.LearningRates;
            warnings.AddRange(best.Warnings);
        }

        return new LawAnswers(optimum, bySchedule, finalLoss, optimalSchedule);
    }

    /// <summary>
    /// The multi-scale MPL through the curves of each swept scale's <see cref="PeaksPerScale"/> grid
    /// peaks nearest its optimum, at the optimum's warmup: the law is asked about the neighbourhood
    /// of the optimum, so it is fitted there (far from it the noise floor dominates).
    /// </summary>
    public static (MultiScaleMpl? Law, MultiScaleMplFit.Result? Fit) FitLossLaw(
        IReadOnlyList<OptimalLrPoint> optima, IReadOnlyList<RunCurve> curves, List<string> warnings, Action<string>? progress = null)
    {
        if (curves.Select(c => c.Run.ScheduleName).Distinct().Count() < 2)
        {
            warnings.Add("no loss law: its loss-drop term is identified by curves of at least two schedules, and the sweep has one; add a second schedule (e.g. wsd beside cosine) to predict losses");
            return (null, null);
        }

        var near = new List<ScaledCurve>();
        foreach (var optimum in optima)
        {
            var here = curves.Where(c => c.Run.ModelSize == optimum.ModelSize && c.Run.TotalSteps == optimum.TotalSteps && c.Run.WarmupSteps == optimum.WarmupSteps).ToList();
            var peaks = here.Select(c => c.Run.PeakLr).Distinct()
                .OrderBy(p => Math.Abs(Math.Log(p / optimum.PeakLr))).Take(PeaksPerScale).ToHashSet();
            near.AddRange(here.Where(c => peaks.Contains(c.Run.PeakLr))
                .Select(c => (c, Observation: SweepLaws.Observe(c)))
                .Where(x => x.Observation.Loss.Length > 0)
                .Select(x => new ScaledCurve(x.c.Run.RunId, x.c.Run.ModelSize, x.Observation.Curve, x.Observation.Loss)));
        }

        if (near.Count == 0)
        {
            warnings.Add("no run curves near the optima: no loss law, so no predicted losses");
            return (null, null);
        }

        var fit = MultiScaleMplFit.Fit(near, progress: progress);
        warnings.AddRange(fit.Report.Warnings.Select(w => "multi-scale MPL: " + w));
        if (fit.Law is not null && !fit.Report.Converged)
        {
            warnings.Add("no loss law: the multi-scale MPL fit did not converge, so its predictions are not used");
            return (null, fit);
        }

        return (fit.Law, fit);
    }

    /// <summary>
    /// The peak LR that minimises the law's final loss for schedule <paramref name="shape"/> (null: the
    /// best baseline at each LR), by golden section (<see cref="GoldenSection"/>) in log LR within 8× of <paramref name="around"/>;
    /// an optimum at the window's edge moves the window there (up to four times, 8⁵ ≈ 3·10⁴× away).
    /// </summary>
    public static double LawOptimum(MultiScaleMpl law, double modelSize, int totalSteps, int warmup, double around, Core.Schedules.ScheduleSpec? shape)
    {
        for (var move = 0; ; move++)
        {
            var optimum = OptimumInWindow(law, modelSize, totalSteps, warmup, around, shape);
            if (Math.Abs(Math.Log(optimum / around)) < Math.Log(8) - 0.01 || move == 4)
            {
                return optimum;
            }

            around = optimum;
        }
    }

    private static double OptimumInWindow(MultiScaleMpl law, double modelSize, int totalSteps, int warmup, double around, Core.Schedules.ScheduleSpec? shape)
    {
        double Loss(double logLr)
        {
            var problem = new ScheduleProblem(totalSteps, Math.Exp(logLr), warmup);
            var parameters = law.At(modelSize, problem.PeakLr);
            return shape is null
                ? BaselineSchedules.For(problem).Values.Where(lr => lr is not null).Min(lr => MplFinalLoss.Value(parameters, lr!))
                : MplFinalLoss.Value(parameters, problem.Baseline(shape));
        }

        return Math.Exp(GoldenSection.Minimize(Loss, Math.Log(around / 8), Math.Log(around * 8), tolerance: 1e-3).Point[0]);
    }

    private static int RecommendedWarmup(IReadOnlyList<OptimalLrPoint> optima, IReadOnlyList<FinalLossPoint> points, List<string> warnings)
    {
        var largest = optima.OrderBy(o => o.ModelSize).ThenBy(o => o.TotalSteps).LastOrDefault();
        if (largest is null)
        {
            return 0;
        }

        if (points.Select(p => p.WarmupSteps).Distinct().Count() == 1)
        {
            warnings.Add($"warmup was not swept: {largest.WarmupSteps} steps, as in every run");
        }

        return largest.WarmupSteps;
    }

    private static ChinchillaParameters? FitChinchilla(IReadOnlyList<OptimalLrPoint> optima, Dictionary<string, IReadOnlyDictionary<string, double>> coefficients)
    {
        var report = Chinchilla.Fit(optima.Select(o => new Chinchilla.Observation(o.ModelSize, o.TotalSteps, o.GridLoss)).ToList());
        if (report.Parameters.Count == 0)
        {
            return null;
        }

        coefficients[Chinchilla.LawName] = report.Parameters;
        return ChinchillaParameters.FromDictionary(report.Parameters);
    }

    /// <summary>
    /// Chinchilla's compute-optimal frontier (D in steps) at 9 budgets N·T, log-spaced from the
    /// smallest swept to the target's; warns when the target's size is over 2× from its budget's optimum.
    /// </summary>
    private static List<ComputeOptimalPoint> Frontier(ChinchillaParameters law, IReadOnlyList<FinalLossPoint> points, double modelSize, int totalSteps, List<string> warnings)
    {
        var target = modelSize * totalSteps;
        var smallest = Math.Min(points.Min(p => p.ModelSize * p.TotalSteps), target);
        var frontier = Enumerable.Range(0, 9).Select(i => law.ComputeOptimal(smallest * Math.Pow(target / smallest, i / 8.0))).ToList();
        var best = frontier[^1];
        if (Math.Abs(Math.Log(modelSize / best.ModelSize)) > Math.Log(2))
        {
            warnings.Add($"for this compute (N·T = {target:G3}) Chinchilla's L(N, T) through the sweep's optima is lowest at N = {best.ModelSize:G3} trained {best.Data:G3} steps " +
                $"(loss {best.Loss:F4} against {law.Predict(modelSize, totalSteps):F4}); the exponents come from the swept range only");
        }

        return frontier;
    }
}
