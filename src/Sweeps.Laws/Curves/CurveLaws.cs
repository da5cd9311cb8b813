using System.Diagnostics;
using Sweeps.Laws.Curves;
using Sweeps.Laws.Solvers;

namespace Sweeps.Laws.Curves;

/// <summary>
/// The catalog of loss-curve laws, as <c>KernelCatalog</c> is of kernels: for each name the spec may
/// use (<see cref="Sweeps.Core.Specs.KnownLaws.CurveLaws"/>, where every law's name is spelled once),
/// how it is fitted and how a saved fit is rebuilt to predict other curves. The console, the sweep's
/// fits and the schedule tools all go through it.
/// </summary>
public static class CurveLaws
{
    /// <summary>One law of the catalog.</summary>
    /// <param name="Fit">Fits the law to curves: (curves, Huber δ, MPL fit method or null) → report.</param>
    /// <param name="Rebuild">The law with the shape a saved fit's parameters give it (the momentum law's λ).</param>
    private sealed record Entry(Func<IReadOnlyList<MplObservation>, double, string?, FitReport> Fit, Func<IReadOnlyDictionary<string, double>, ICurveLaw> Rebuild);

    private static readonly IReadOnlyDictionary<string, Entry> Catalog = new Dictionary<string, Entry>
    {
        [MultiPowerLaw.LawName] = new((train, delta, method) => MplFitMethods.Fit(method ?? MplFitMethods.Default, train, delta), _ => MplLaw.Instance),
        [MomentumLaw.LawName] = new((train, delta, _) => FitMomentum(train, delta),
            parameters => new MomentumLaw(parameters.TryGetValue("lambda", out var lambda) ? lambda : throw new ArgumentException("momentum-law parameters lack lambda"))),
        [PowerLawInLrSum.LawName] = new((train, delta, _) => FitPower(train, delta), _ => new PowerLawInLrSum()),
        [ConvexBoundLaw.LawName] = new((train, _, _) => FitConvex(train), _ => ConvexBoundLaw.Instance),
    };

    /// <summary>The catalog's names, in the order of <see cref="Sweeps.Core.Specs.KnownLaws.CurveLaws"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Sweeps.Core.Specs.KnownLaws.CurveLaws.Where(Catalog.ContainsKey)];

    /// <summary>Whether the spec's curve-law names and the catalog hold the same laws (a test checks it).</summary>
    public static bool CoversKnownLaws => Catalog.Keys.Order().SequenceEqual(Sweeps.Core.Specs.KnownLaws.CurveLaws.Order());

    /// <param name="mplMethod">How to fit the multi-power law (<see cref="MplFitMethods"/>; null: its default); other laws have one way.</param>
    public static FitReport Fit(string law, IReadOnlyList<MplObservation> train, double huberDelta = FitMetrics.HuberDelta, string? mplMethod = null) =>
        IdentifiedParameters.Checked(FitForPrediction(law, train, huberDelta, mplMethod), logParameters: law != ConvexBoundLaw.LawName);

    /// <summary>
    /// <see cref="Fit"/> without the check that the curves identify every parameter
    /// (<see cref="IdentifiedParameters"/>): a fit whose C and β ran off together, or whose A came out
    /// negative, predicts curves like the ones fitted as well as any, though its coefficients mean nothing. For predictions whose errors are
    /// measured elsewhere (the law stopping rule calibrates its own), never for coefficients reported.
    /// </summary>
    public static FitReport FitForPrediction(string law, IReadOnlyList<MplObservation> train, double huberDelta = FitMetrics.HuberDelta, string? mplMethod = null) =>
        EntryOf(law).Fit(train, huberDelta, mplMethod);

    private static Entry EntryOf(string law) =>
        Catalog.TryGetValue(law, out var entry) ? entry : throw new ArgumentException($"unknown curve law '{law}' (one of {string.Join(", ", Names)})", nameof(law));

    /// <summary>
    /// Refits <paramref name="law"/> to <paramref name="train"/> starting from an earlier fit's
    /// parameters (a bootstrap resample is close to the original data, so a warm start converges in
    /// a few iterations). λ of the momentum law stays at the earlier fit's grid value.
    /// </summary>
    /// <param name="mplMethod">
    /// How the estimate was fitted (<see cref="FitReport.Method"/>): a multi-power law that the published
    /// pipeline fitted is refitted by that whole pipeline, since its early stop, not the objective's
    /// minimum, is the estimator being resampled.
    /// </param>
    public static IReadOnlyDictionary<string, double> Refit(string law, IReadOnlyList<MplObservation> train, IReadOnlyDictionary<string, double> start, double huberDelta = FitMetrics.HuberDelta, string? mplMethod = null)
    {
        if (law == MultiPowerLaw.LawName && mplMethod == MplReferenceFit.MethodName)
        {
            return MplReferenceFit.Fit(train, huberDelta).Parameters;
        }

        if (law == ConvexBoundLaw.LawName)
        {
            return FitConvex(train).Parameters;
        }

        var (instance, values) = Rebuild(law, start);
        var result = CurveLawFit.Minimize(instance, train, values, huberDelta);
        var refitted = CurveLawFit.FromTheta(result.Point);
        var parameters = instance.ParameterNames.Select((n, i) => (n, refitted[i])).ToDictionary(p => p.n, p => p.Item2);
        foreach (var extra in start.Keys.Except(instance.ParameterNames))
        {
            parameters[extra] = start[extra];
        }

        return parameters;
    }

    /// <summary>Predictions of a saved fit at a curve's steps.</summary>
    public static double[] Predict(string law, IReadOnlyDictionary<string, double> parameters, MplCurve curve)
    {
        var (instance, values) = Rebuild(law, parameters);
        var predictions = new double[curve.Steps.Length];
        instance.Evaluate(values, curve, predictions, []);
        return predictions;
    }

    private static (ICurveLaw Law, double[] Values) Rebuild(string law, IReadOnlyDictionary<string, double> parameters)
    {
        var instance = EntryOf(law).Rebuild(parameters);
        var missing = instance.ParameterNames.Where(n => !parameters.ContainsKey(n)).ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException($"{law} parameters lack {string.Join(", ", missing)}");
        }

        return (instance, instance.ParameterNames.Select(n => parameters[n]).ToArray());
    }

    /// <summary>Σ over every point of the curves of Huber_δ(log prediction − log loss): the curve laws' fitting objective, for any parameters.</summary>
    public static double HuberObjective(string law, IReadOnlyDictionary<string, double> parameters, IEnumerable<MplObservation> curves, double huberDelta = FitMetrics.HuberDelta) =>
        curves.Sum(o => Predict(law, parameters, o.Curve).Zip(o.Loss).Sum(p => Huber.Loss(Math.Log(p.First) - Math.Log(p.Second), huberDelta)));

    /// <summary>
    /// The convex bound the paper's way: non-negative least squares of the loss on (1, X1, X2) over
    /// every training point where the bound is finite (the paper's protocol, not Huber on logs).
    /// </summary>
    private static FitReport FitConvex(IReadOnlyList<MplObservation> train)
    {
        var clock = Stopwatch.StartNew();
        var rows = train.SelectMany(o => ConvexBoundLaw.FeaturesOf(o.Curve).Zip(o.Loss))
            .Where(r => double.IsFinite(r.First.X1) && double.IsFinite(r.First.X2))
            .ToList();
        if (rows.Count < 3)
        {
            return new FitReport(ConvexBoundLaw.LawName) { Points = rows.Count, Warnings = [$"needs at least 3 points where the bound is finite, got {rows.Count}"] };
        }

        var c = NonNegativeLeastSquares.Solve(rows.Select(r => new[] { r.First.X1, r.First.X2 }).ToList(), rows.Select(r => r.Second).ToList());
        var squares = rows.Sum(r => Math.Pow(c[0] + c[1] * r.First.X1 + c[2] * r.First.X2 - r.Second, 2));
        return new FitReport(ConvexBoundLaw.LawName)
        {
            Parameters = new Dictionary<string, double> { ["L_inf"] = c[0], ["D2"] = c[1], ["G2"] = c[2] },
            Objective = squares,
            Iterations = 1,
            Converged = true,
            Points = rows.Count,
            ElapsedSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    private static FitReport FitPower(IReadOnlyList<MplObservation> train, double huberDelta)
    {
        var clock = Stopwatch.StartNew();
        var start = MultiPowerLawFit.SimplifiedStart(train);
        var law = new PowerLawInLrSum();
        var result = CurveLawFit.Minimize(law, train, [start.L0, start.A, start.Alpha], huberDelta);
        return Report(law, CurveLawFit.FromTheta(result.Point), result, train, clock, extra: null);
    }

    /// <summary>The paper's protocol: fit at each λ of <see cref="MomentumLaw.LambdaGrid"/>, keep the best training objective.</summary>
    private static FitReport FitMomentum(IReadOnlyList<MplObservation> train, double huberDelta)
    {
        var clock = Stopwatch.StartNew();
        var start = MultiPowerLawFit.SimplifiedStart(train);
        FitReport? best = null;
        foreach (var lambda in MomentumLaw.LambdaGrid)
        {
            var law = new MomentumLaw(lambda);
            // C·S2 ≈ C/(1 − λ)·(LR drop) long after a drop, so the simplified law's B maps to C = B(1 − λ).
            var result = CurveLawFit.Minimize(law, train, [start.L0, start.A, start.Alpha, start.B * (1 - lambda)], huberDelta);
            var report = Report(law, CurveLawFit.FromTheta(result.Point), result, train, clock, ("lambda", lambda));
            if (best is null || !double.IsFinite(best.Objective) || report.Objective < best.Objective)
            {
                best = report;
            }
        }

        return best! with { ElapsedSeconds = clock.Elapsed.TotalSeconds };
    }

    private static FitReport Report(
        ICurveLaw law, double[] values, SolverResult result, IReadOnlyList<MplObservation> train, Stopwatch clock, (string Name, double Value)? extra)
    {
        if (!double.IsFinite(result.Value))
        {
            return new FitReport(law.Name)
            {
                Points = train.Sum(o => o.Loss.Length),
                Warnings = ["no start predicts a positive loss at every point of these curves; no fit"],
                ElapsedSeconds = clock.Elapsed.TotalSeconds,
            };
        }

        var parameters = law.ParameterNames.Select((n, i) => (n, values[i])).ToDictionary(p => p.n, p => p.Item2);
        if (extra is { } e)
        {
            parameters[e.Name] = e.Value;
        }

        return new FitReport(law.Name)
        {
            Parameters = parameters,
            Objective = result.Value,
            Iterations = result.Iterations,
            Converged = result.Converged,
            Points = train.Sum(o => o.Loss.Length),
            ElapsedSeconds = clock.Elapsed.TotalSeconds,
        };
    }
}
