using Sweeps.Core.Grid;
using Sweeps.Laws.Curves;

namespace Sweeps.Laws.Charts;

/// <summary>
/// What a picture of a sweep's fitted laws shows, computed from the fit reports and the data they
/// were fitted to, so every view (the web dashboard, <c>--plots</c>) draws the same numbers: each
/// scale's best loss against the Chinchilla prediction, each scale's optimal peak LR against the
/// η*(N, T) power law, and a curve law's predicted curves over the observed ones.
/// </summary>
public static class LawCharts
{
    /// <summary>Points drawn on each η* line: enough for a smooth curve on a log axis.</summary>
    public const int LinePoints = 32;

    /// <summary>
    /// Each (N, T)'s best final loss (the points Chinchilla is fitted to, from
    /// <see cref="OptimalLearningRate.FromGrid"/>) with the fitted law's prediction there; empty
    /// without a usable <c>chinchilla</c> fit.
    /// </summary>
    public static IReadOnlyList<LawPoint> Chinchilla(IReadOnlyList<FitReport> fits, IReadOnlyList<FinalLossPoint> points)
    {
        if (fits.FirstOrDefault(f => f.Law == Laws.Chinchilla.LawName) is not { } fit
            || ChinchillaParameters.FromDictionary(fit.Parameters) is not { } law)
        {
            return [];
        }

        return OptimalLearningRate.FromGrid(points)
            .Select(o => new LawPoint(o.ModelSize, o.TotalSteps, o.GridLoss, law.Predict(o.ModelSize, o.TotalSteps)))
            .ToList();
    }

    /// <summary>
    /// The η*(N, T) = c·N^a·T^b law as one line over the fitted model sizes per horizon; empty without
    /// a fitted <c>optimal_lr</c> law. Its points are the report's <see cref="FitReport.OptimalLr"/>.
    /// </summary>
    public static IReadOnlyList<PowerLawLine> OptimalLrLines(FitReport optimalLr)
    {
        if (OptimalLrScaling.Parameters.FromDictionary(optimalLr.Parameters) is not { } law || optimalLr.OptimalLr.Count == 0)
        {
            return [];
        }

        var (low, high) = (optimalLr.OptimalLr.Min(o => o.ModelSize), optimalLr.OptimalLr.Max(o => o.ModelSize));
        var sizes = Enumerable.Range(0, LinePoints)
            .Select(i => low == high ? low : Math.Exp(Math.Log(low) + (Math.Log(high) - Math.Log(low)) * i / (LinePoints - 1)))
            .ToArray();
        return optimalLr.OptimalLr.Select(o => o.TotalSteps).Distinct().Order()
            .Select(steps => new PowerLawLine(steps, sizes, sizes.Select(n => law.Predict(n, steps)).ToArray()))
            .ToList();
    }

    /// <summary>
    /// A curve-law fit (one per model size, peak LR and warmup) over the curves of its scope: the
    /// observed post-warmup points and the law's prediction at each. Curves outside the fit's scope
    /// are left out.
    /// </summary>
    public static IReadOnlyList<CurvePrediction> CurveLaw(FitReport fit, IReadOnlyList<RunCurve> curves)
    {
        if (!CurveLaws.Names.Contains(fit.Law) || fit.Parameters.Count == 0)
        {
            return [];
        }

        return curves.Where(c => InScope(fit.Scope, c.Run)).Select(c =>
        {
            var observation = SweepLaws.Observe(c);
            return new CurvePrediction(c.Run.RunId, c.Run.ScheduleName, c.Run.TotalSteps,
                observation.Curve.Steps.Select(s => s + 1).ToArray(), // back to the curve's steps (loss after t updates)
                observation.Loss, CurveLaws.Predict(fit.Law, fit.Parameters, observation.Curve));
        }).ToList();
    }

    /// <summary>Whether a run is one a curve-law fit of this scope was fitted to (an empty scope covers all).</summary>
    public static bool InScope(IReadOnlyDictionary<string, double> scope, RunDefinition run) =>
        scope.GetValueOrDefault("model_size", run.ModelSize) == run.ModelSize
        && scope.GetValueOrDefault("peak_lr", run.PeakLr) == run.PeakLr
        && scope.GetValueOrDefault("warmup_steps", run.WarmupSteps) == run.WarmupSteps;
}

/// <summary>An observed value and a law's prediction of it at one (N, T).</summary>
public sealed record LawPoint(double ModelSize, int TotalSteps, double Observed, double Predicted)
{
    public double Residual => Observed - Predicted;
}

/// <summary>A fitted power law along model size at one horizon.</summary>
public sealed record PowerLawLine(int TotalSteps, IReadOnlyList<double> ModelSize, IReadOnlyList<double> PeakLr);

/// <summary>One run's observed curve and a curve law's prediction at the same steps.</summary>
public sealed record CurvePrediction(string RunId, string Schedule, int TotalSteps, IReadOnlyList<int> Steps, IReadOnlyList<double> Observed, IReadOnlyList<double> Predicted);
