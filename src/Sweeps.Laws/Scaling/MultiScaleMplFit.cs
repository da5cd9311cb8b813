using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using Sweeps.Laws.Curves;
using Sweeps.Laws.Solvers;

namespace Sweeps.Laws.Scaling;

/// <summary>
/// Fits a <see cref="MultiScaleMpl"/> to curves of several model sizes by the MPL protocol (Huber,
/// δ = 1e-3, on log residuals of every point, Levenberg–Marquardt with the exact Jacobian), and
/// chooses how each parameter scales: with four or more sizes by leave-one-size-out
/// cross-validation (every candidate structure fitted without one size and scored on that size's
/// curves, mean PredE over the held-out sizes; the best refitted on every size); with three, whose
/// folds cannot identify a floor, by BIC of the fits to every size; with two, the first candidate.
/// <para>
/// Starts come from a single-scale MPL fitted per size (<see cref="MultiPowerLawFit"/>): a shared
/// parameter starts at the sizes' geometric mean, a power law at the regression of log p on log N,
/// a floor at the value that makes log(L0 − E) most linear in log N.
/// </para>
/// </summary>
public static class MultiScaleMplFit
{
    /// <summary>
    /// The structures cross-validation chooses among. The floor and the power-law trends of A, α and
    /// B are what the published 25M–400M fits show (digest §5.5); C, β and γ are weakly identified
    /// and non-monotone there, so shared is the first candidate for them.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<ScalingForm>> Candidates { get; } =
    [
        [ScalingForm.PowerWithFloor, ScalingForm.Power, ScalingForm.Power, ScalingForm.Power, ScalingForm.Shared, ScalingForm.Shared, ScalingForm.Shared],
        [ScalingForm.PowerWithFloor, ScalingForm.Power, ScalingForm.Shared, ScalingForm.Power, ScalingForm.Shared, ScalingForm.Shared, ScalingForm.Shared],
        [ScalingForm.PowerWithFloor, ScalingForm.Power, ScalingForm.Power, ScalingForm.Power, ScalingForm.Power, ScalingForm.Power, ScalingForm.Power],
        [ScalingForm.Power, ScalingForm.Power, ScalingForm.Power, ScalingForm.Power, ScalingForm.Shared, ScalingForm.Shared, ScalingForm.Shared],
    ];

    /// <summary>Points per curve the fit uses at most (evenly spaced, the last always kept): MPL curves are smooth, and the cost grows with points.</summary>
    public const int PointsPerCurve = 40;

    /// <summary>Sizes from which leave-one-size-out folds keep three sizes, enough to identify a floor.</summary>
    public const int SizesToCrossValidate = 4;

    /// <summary>The criterion with four or more sizes: mean PredE on each held-out size's curves (lower is better).</summary>
    public const string CrossValidationCriterion = "leave_one_size_out_pred_e";

    /// <summary>The criterion with three sizes: BIC of the log residuals of the fit to every size (lower is better).</summary>
    public const string BicCriterion = "bic";

    /// <summary>
    /// The fitted law, its report, each candidate structure's score under <paramref name="Criterion"/>
    /// (empty, and the criterion null, when there was nothing to choose or too few sizes to choose by).
    /// </summary>
    public sealed record Result(MultiScaleMpl? Law, FitReport Report, IReadOnlyDictionary<string, double> StructureScores, string? Criterion);

    /// <param name="curves">Curves of at least two model sizes.</param>
    /// <param name="candidates">The structures to choose among (default <see cref="Candidates"/>); one: no cross-validation.</param>
    /// <param name="progress">Told, in a line, each stage as it starts, and each cross-validation fold as it ends (from any thread).</param>
    public static Result Fit(IReadOnlyList<ScaledCurve> curves, IReadOnlyList<IReadOnlyList<ScalingForm>>? candidates = null, double huberDelta = FitMetrics.HuberDelta, Action<string>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        candidates ??= Candidates;
        var usable = curves.Where(c => c.Loss.Length > 0 && c.ModelSize > 0).Select(Thin).ToList();
        var sizes = usable.Select(c => c.ModelSize).Distinct().Order().ToArray();
        var points = usable.Sum(c => c.Loss.Length);
        if (sizes.Length < 2)
        {
            return Failed($"a multi-scale fit needs curves of at least two model sizes, got {sizes.Length}", points, clock);
        }

        progress?.Invoke($"multi-scale MPL: single-size fits of {usable.Count} curves at {sizes.Length} model sizes");
        var singles = sizes.AsParallel().AsOrdered()
            .Select(n => (Size: n, Fit: MultiPowerLawFit.Fit(usable.Where(c => c.ModelSize == n).Select(c => c.Observation).ToList(), huberDelta)))
            .ToDictionary(s => s.Size, s => s.Fit);
        if (singles.FirstOrDefault(s => s.Value.Parameters.Count == 0) is { Value: not null } failed)
        {
            return Failed($"model size {failed.Key:G4}: {string.Join("; ", failed.Value.Warnings)}", points, clock);
        }

        var referenceSize = Math.Exp(sizes.Average(Math.Log));
        var peaks = usable.Select(c => c.PeakLr).Distinct().ToArray();
        var referenceLr = Math.Exp(peaks.Average(Math.Log));
        var fitsLrSlope = peaks.Length > 1;
        var warnings = new List<string>();

        var scores = new Dictionary<string, double>();
        string? criterion = null;
        (MultiScaleMpl? Law, SolverResult Result)? chosenFit = null;
        var chosen = candidates[0];
        string StructureOf(IReadOnlyList<ScalingForm> forms) => Start(forms, referenceSize, referenceLr, fitsLrSlope, singles).Structure;
        if (candidates.Count > 1 && sizes.Length >= SizesToCrossValidate)
        {
            // Every (structure, held-out size) fold is an independent deterministic fit: run them in parallel.
            criterion = CrossValidationCriterion;
            var folds = candidates.SelectMany((forms, index) => sizes.Select(held => (Index: index, Forms: forms, Held: held))).ToList();
            progress?.Invoke($"multi-scale MPL: choosing among {candidates.Count} structures by leaving out each of {sizes.Length} sizes ({folds.Count} fits)");
            // Each fold's two starts are separate work items, handed out one at a time: their fits
            // differ a hundredfold in cost (0.1–6 s), and PLINQ's chunks of whole folds left one core
            // idle while the other ran a chunk of slow ones. Each minimisation is deterministic, so
            // the result does not depend on the order.
            var work = folds.SelectMany((fold, f) => StartsOf(Start(fold.Forms, referenceSize, referenceLr, fitsLrSlope, singles.Where(s => s.Key != fold.Held)))
                .Select(start => (Fold: f, Start: start))).ToList();
            var done = 0;
            var minimised = System.Collections.Concurrent.Partitioner.Create(work, System.Collections.Concurrent.EnumerablePartitionerOptions.NoBuffering)
                .AsParallel().AsOrdered().Select(item =>
                {
                    var result = Minimize(item.Start, usable.Where(c => c.ModelSize != folds[item.Fold].Held).ToList(), huberDelta);
                    progress?.Invoke($"multi-scale MPL: {Interlocked.Increment(ref done)}/{work.Count} cross-validation fits ({clock.Elapsed.TotalSeconds:F0} s)");
                    return (item.Fold, result);
                }).ToList();
            var heldOutErrors = folds.Select((fold, f) =>
            {
                var law = Better(minimised.Where(m => m.Fold == f).Select(m => m.result)).Law;
                var test = usable.Where(c => c.ModelSize == fold.Held).ToList();
                return (fold.Index, PredE: law is null ? double.PositiveInfinity : test.Average(c => FitMetrics.Of(c.Loss, law.Predict(c.ModelSize, c.Curve)).PredE));
            }).ToList();
            foreach (var (forms, index) in candidates.Select((forms, index) => (forms, index)))
            {
                scores[StructureOf(forms)] = heldOutErrors.Where(e => e.Index == index).Average(e => e.PredE);
            }

            chosen = candidates[scores.Values.Select((s, i) => (s, i)).MinBy(x => double.IsFinite(x.s) ? x.s : double.MaxValue).i];
        }
        else if (candidates.Count > 1 && sizes.Length >= 3)
        {
            // Three sizes leave two per fold, too few for a floor's three coefficients: the folds would
            // score how an unidentified floor extrapolates. Every structure is fitted to all sizes and
            // compared by BIC instead.
            criterion = BicCriterion;
            var fits = candidates.AsParallel().AsOrdered()
                .Select(forms => MinimizeFromStarts(Start(forms, referenceSize, referenceLr, fitsLrSlope, singles), usable, huberDelta))
                .ToList();
            foreach (var (forms, index) in candidates.Select((forms, index) => (forms, index)))
            {
                scores[StructureOf(forms)] = fits[index].Law is { } law ? Bic(law, usable) : double.PositiveInfinity;
            }

            var best = scores.Values.Select((s, i) => (s, i)).MinBy(x => double.IsFinite(x.s) ? x.s : double.MaxValue).i;
            (chosen, chosenFit) = (candidates[best], fits[best]);
        }
        else if (candidates.Count > 1)
        {
            warnings.Add($"two model sizes can choose neither by cross-validation nor by BIC how the parameters scale; kept {StructureOf(chosen)}");
        }

        progress?.Invoke($"multi-scale MPL: fitting {StructureOf(chosen)} to every size");
        var (fitted, result) = chosenFit ?? MinimizeFromStarts(Start(chosen, referenceSize, referenceLr, fitsLrSlope, singles), usable, huberDelta);
        if (fitted is null)
        {
            return Failed("no start of the multi-scale law predicts a positive loss at every point of these curves", points, clock);
        }

        if (!result.Converged)
        {
            warnings.Add("the solver stopped before converging");
        }

        var metrics = usable.Select(c => FitMetrics.Of(c.Loss, fitted.Predict(c.ModelSize, c.Curve))).ToList();
        var report = new FitReport(MultiPowerLaw.LawName)
        {
            Parameters = fitted.Coefficients(),
            Objective = result.Value,
            Iterations = result.Iterations,
            Converged = result.Converged,
            Points = points,
            Metrics = FitMetrics.Mean(metrics),
            Warnings = warnings,
            ElapsedSeconds = clock.Elapsed.TotalSeconds,
        };
        return new Result(fitted, report, scores, criterion);
    }

    /// <summary>Minimizes the Huber objective from <paramref name="start"/>; the law is null when no point of the path predicts positive losses.</summary>
    public static (MultiScaleMpl? Law, SolverResult Result) Minimize(MultiScaleMpl start, IReadOnlyList<ScaledCurve> curves, double huberDelta = FitMetrics.HuberDelta)
    {
        var count = curves.Sum(c => c.Loss.Length);
        // A start that predicts a non-positive loss somewhere (a drop coefficient too large for these
        // curves) is made feasible first by halving B, as the single-scale fit does.
        var residuals = new double[count];
        for (var halving = 0; halving < 40 && !LogResiduals(start, curves, residuals, []); halving++)
        {
            var theta = start.Theta.ToArray();
            theta[start.OffsetOf(3)] -= Math.Log(2);
            start = start.With(theta);
        }

        var result = HuberLevenbergMarquardt.Minimize(
            (theta, r, j) => LogResiduals(start.With([.. theta]), curves, r, j),
            Vector<double>.Build.DenseOfArray(start.Theta), count, huberDelta);
        return (double.IsFinite(result.Value) ? start.With(result.Point) : null, result);
    }

    /// <summary>
    /// The better of two minimisations: from <paramref name="start"/> and from it with C, β and γ at
    /// the MPL recipe's (1, 0.5, 0.5). Single-scale fits of mixed peaks can hand C, β, γ a degenerate
    /// start (C → 0, β → ∞ reproduces a drop with other curvature) that the joint fit cannot leave.
    /// </summary>
    public static (MultiScaleMpl? Law, SolverResult Result) MinimizeFromStarts(MultiScaleMpl start, IReadOnlyList<ScaledCurve> curves, double huberDelta = FitMetrics.HuberDelta) =>
        // Sequential: the callers already run their fits in parallel, and nesting PLINQ starves the
        // thread pool (an embedded silo's health monitor then reports stalls).
        Better(StartsOf(start).Select(s => Minimize(s, curves, huberDelta)));

    /// <summary>The two starts of <see cref="MinimizeFromStarts"/>: <paramref name="start"/>, and it with C, β, γ at the recipe's (1, 0.5, 0.5).</summary>
    private static MultiScaleMpl[] StartsOf(MultiScaleMpl start)
    {
        var recipe = start.Theta.ToArray();
        foreach (var (parameter, value) in new[] { (4, 1.0), (5, 0.5), (6, 0.5) })
        {
            var offset = start.OffsetOf(parameter);
            recipe[offset] = Math.Log(value);
            if (start.Forms[parameter] == ScalingForm.Power)
            {
                recipe[offset + 1] = 0;
            }
        }

        return [start, start.With(recipe)];
    }

    /// <summary>The minimisation with the lowest objective; the first on a tie.</summary>
    private static (MultiScaleMpl? Law, SolverResult Result) Better(IEnumerable<(MultiScaleMpl? Law, SolverResult Result)> minimizations) =>
        minimizations.Aggregate((best, next) => next.Result.Value < best.Result.Value ? next : best);

    /// <summary>Residuals log L̂ − log L at every point and their Jacobian in θ; false outside the law's domain.</summary>
    internal static bool LogResiduals(MultiScaleMpl law, IReadOnlyList<ScaledCurve> curves, Span<double> residuals, Span<double> jacobian)
    {
        if (!law.Evaluate(curves, residuals, jacobian))
        {
            return false;
        }

        var width = law.ThetaLength;
        var offset = 0;
        foreach (var curve in curves)
        {
            for (var i = 0; i < curve.Loss.Length; i++, offset++)
            {
                var prediction = residuals[offset];
                if (!(prediction > 0) || !double.IsFinite(prediction))
                {
                    return false;
                }

                residuals[offset] = Math.Log(prediction) - Math.Log(curve.Loss[i]);
                if (!jacobian.IsEmpty)
                {
                    foreach (ref var d in jacobian.Slice(offset * width, width))
                    {
                        d /= prediction;
                    }
                }
            }
        }

        return true;
    }

    /// <summary>The start for <paramref name="forms"/> from single-scale fits at some sizes (see the class comment).</summary>
    internal static MultiScaleMpl Start(IReadOnlyList<ScalingForm> forms, double referenceSize, double referenceLr, bool fitsLrSlope, IEnumerable<KeyValuePair<double, FitReport>> singles)
    {
        var fits = singles.Select(s => (X: Math.Log(s.Key / referenceSize), P: MultiPowerLawParameters.FromDictionary(s.Value.Parameters))).ToList();
        var theta = new List<double>();
        for (var j = 0; j < forms.Count; j++)
        {
            var values = fits.Select(f => (f.X, Y: MplLaw.ToArray(f.P)[j])).ToList();
            theta.AddRange(forms[j] switch
            {
                ScalingForm.Shared => [j == 0 ? values.Average(v => v.Y) : values.Average(v => Math.Log(v.Y))],
                ScalingForm.Power => Line(values.Select(v => (v.X, Math.Log(Math.Max(v.Y, 1e-12)))).ToList()),
                _ => FloorStart(values),
            });
        }

        if (fitsLrSlope)
        {
            theta.Add(1.0); // the derivation's ∂L0/∂η_peak = B
        }

        return new MultiScaleMpl(forms, referenceSize, referenceLr, fitsLrSlope, theta);
    }

    /// <summary>[E, log k, q] for E + k·e^(q x): the E below the smallest value whose log(y − E) is most linear in x.</summary>
    private static double[] FloorStart(IReadOnlyList<(double X, double Y)> values)
    {
        var lowest = values.Min(v => v.Y);
        var best = (Residual: double.PositiveInfinity, Theta: Array.Empty<double>());
        foreach (var fraction in Enumerable.Range(0, 19).Select(i => i * 0.05))
        {
            var floor = lowest * fraction;
            var logs = values.Select(v => (v.X, Math.Log(v.Y - floor))).ToList();
            var line = Line(logs);
            var residual = logs.Sum(l => Math.Pow(l.Item2 - line[0] - line[1] * l.X, 2));
            if (residual < best.Residual - 1e-12)
            {
                best = (residual, [floor, line[0], line[1]]);
            }
        }

        return best.Theta;
    }

    /// <summary>[intercept, slope] of least squares through (x, y); slope 0 for a single x.</summary>
    private static double[] Line(IReadOnlyList<(double X, double Y)> points)
    {
        var (meanX, meanY) = (points.Average(p => p.X), points.Average(p => p.Y));
        var spread = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        var slope = spread > 0 ? points.Sum(p => (p.X - meanX) * (p.Y - meanY)) / spread : 0;
        return [meanY - slope * meanX, slope];
    }

    internal static ScaledCurve Thin(ScaledCurve curve)
    {
        var n = curve.Loss.Length;
        if (n <= PointsPerCurve)
        {
            return curve;
        }

        var picks = EvenlySpaced.Indices(n, PointsPerCurve);
        return curve with
        {
            Curve = new MplCurve(curve.Curve.LearningRates, picks.Select(i => curve.Curve.Steps[i]).ToArray()),
            Loss = picks.Select(i => curve.Loss[i]).ToArray(),
        };
    }

    private static Result Failed(string why, int points, Stopwatch clock) =>
        new(null, new FitReport(MultiPowerLaw.LawName) { Points = points, Warnings = [why], ElapsedSeconds = clock.Elapsed.TotalSeconds }, new Dictionary<string, double>(), null);

    /// <summary>n·ln(RSS/n) + k·ln n over the log residuals of every point, k the law's coefficients.</summary>
    internal static double Bic(MultiScaleMpl law, IReadOnlyList<ScaledCurve> curves)
    {
        var residuals = new double[curves.Sum(c => c.Loss.Length)];
        if (!LogResiduals(law, curves, residuals, []))
        {
            return double.PositiveInfinity;
        }

        var n = residuals.Length;
        var rss = residuals.Sum(r => r * r);
        return n * Math.Log(Math.Max(rss, double.Epsilon) / n) + law.ThetaLength * Math.Log(n);
    }
}
