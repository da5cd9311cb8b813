using System.Diagnostics;
using Sweeps.Laws.Convex;

namespace Sweeps.Laws.Mpl;

/// <summary>
/// The loss-curve laws by name, for the console and the grains: fit one to curves, or rebuild one
/// from saved parameters to predict other curves.
/// </summary>
public static class CurveLaws
{
    public static readonly IReadOnlyList<string> Names = [MultiPowerLaw.Name, MomentumLaw.LawName, PowerLawInLrSum.LawName, ConvexBoundLaw.LawName];

    /// <param name="mplMethod">How to fit the multi-power law (<see cref="MplFitMethods"/>; null: its default); other laws have one way.</param>
    public static FitReport Fit(string law, IReadOnlyList<MplObservation> train, double huberDelta = FitMetrics.HuberDelta, string? mplMethod = null) =>
        IdentifiedParameters.Checked(FitUnchecked(law, train, huberDelta, mplMethod), logParameters: law != ConvexBoundLaw.LawName);

    private static FitReport FitUnchecked(string law, IReadOnlyList<MplObservation> train, double huberDelta, string? mplMethod) => law switch
    {
        MultiPowerLaw.Name => MplFitMethods.Fit(mplMethod ?? MplFitMethods.Default, train, huberDelta),
        MomentumLaw.LawName => FitMomentum(train, huberDelta),
        PowerLawInLrSum.LawName => FitPower(train, huberDelta),
        ConvexBoundLaw.LawName => FitConvex(train),
        _ => throw new ArgumentException($"unknown curve law '{law}' (one of {string.Join(", ", Names)})", nameof(law)),
    };

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
        if (law == MultiPowerLaw.Name && mplMethod == MplReferenceFit.MethodName)
        {
            return MplReferenceFit.Fit(train, huberDelta).Parameters;
        }

        if (law == ConvexBoundLaw.LawName)
        {
            return FitConvex(train).Parameters;
        }

        var (instance, values) = Rebuild(law, start);
        var result = CurveLawFit.Minimise(instance, train, values, huberDelta);
        var refitted = CurveLawFit.FromTheta(result.Theta);
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
        ICurveLaw instance = law switch
        {
            MultiPowerLaw.Name => MplLaw.Instance,
            MomentumLaw.LawName => new MomentumLaw(parameters.TryGetValue("lambda", out var lambda) ? lambda : throw new ArgumentException("momentum-law parameters lack lambda")),
            PowerLawInLrSum.LawName => new PowerLawInLrSum(),
            ConvexBoundLaw.LawName => ConvexBoundLaw.Instance,
            _ => throw new ArgumentException($"unknown curve law '{law}' (one of {string.Join(", ", Names)})", nameof(law)),
        };
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
        var result = CurveLawFit.Minimise(law, train, [start.L0, start.A, start.Alpha], huberDelta);
        return Report(law, CurveLawFit.FromTheta(result.Theta), result, train, clock, extra: null);
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
            var result = CurveLawFit.Minimise(law, train, [start.L0, start.A, start.Alpha, start.B * (1 - lambda)], huberDelta);
            var report = Report(law, CurveLawFit.FromTheta(result.Theta), result, train, clock, ("lambda", lambda));
            if (best is null || !double.IsFinite(best.Objective) || report.Objective < best.Objective)
            {
                best = report;
            }
        }

        return best! with { ElapsedSeconds = clock.Elapsed.TotalSeconds };
    }

    private static FitReport Report(
        ICurveLaw law, double[] values, HuberLevenbergMarquardt.Result result, IReadOnlyList<MplObservation> train, Stopwatch clock, (string Name, double Value)? extra)
    {
        if (!double.IsFinite(result.Objective))
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
            Objective = result.Objective,
            Iterations = result.Iterations,
            Converged = result.Converged,
            Points = train.Sum(o => o.Loss.Length),
            ElapsedSeconds = clock.Elapsed.TotalSeconds,
        };
    }
}
