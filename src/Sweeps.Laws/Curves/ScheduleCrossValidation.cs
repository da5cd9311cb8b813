namespace Sweeps.Laws.Curves;

/// <summary>
/// One way to fit the multi-power law (<c>--method schedule-cv</c>): choose between the published pipeline's early stop
/// (<see cref="MplReferenceFit"/>) and the objective's optimum (<see cref="MultiPowerLawFit"/>) by
/// how well each predicts a schedule it did not see, measured on the training curves alone. The
/// curves are split into up to three folds (curve i in fold i mod 3); each method is fitted on the
/// other folds and scored by the mean PredE of the held-out fold's curves; the method with the lower
/// mean over folds is fitted on every training curve. A fold fit that fails or predicts a non-finite
/// loss scores +∞. Users fit a law to predict schedules nobody ran, so the choice is judged on that,
/// never on the training objective (docs/architecture.md, "The MPL's fit methods": why it is not the default).
/// </summary>
public static class ScheduleCrossValidation
{
    public const string MethodName = "schedule-cv";

    /// <summary>Held-out folds at most; fewer when there are fewer curves.</summary>
    public const int MaxFolds = 3;

    /// <summary>The candidates, in the order a tie is broken (the published pipeline first).</summary>
    public static readonly IReadOnlyList<string> Candidates = [MplReferenceFit.MethodName, MplFitMethods.Optimum];

    /// <summary>
    /// Fits <paramref name="train"/> by the cross-validated choice. With fewer than three curves no
    /// schedule can be held out and still leave two to fit, so the published pipeline is used.
    /// </summary>
    public static FitReport Fit(IReadOnlyList<MplObservation> train, double huberDelta = FitMetrics.HuberDelta)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        if (train.Count < MaxFolds)
        {
            var single = MplReferenceFit.Fit(train, huberDelta);
            return single with
            {
                SelectedBy = $"{MethodName}: fewer than {MaxFolds} training curves to hold one out, so the published pipeline",
                ElapsedSeconds = clock.Elapsed.TotalSeconds,
            };
        }

        var scores = Candidates.ToDictionary(method => method, method => Score(method, train, huberDelta));
        var chosen = Candidates.MinBy(method => scores[method])!;
        var report = MplFitMethods.Fit(chosen, train, huberDelta);
        return report with
        {
            SelectedBy = MethodName,
            CrossValidation = scores,
            ElapsedSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>The mean over folds of the held-out curves' mean PredE when <paramref name="method"/> fits the other folds.</summary>
    public static double Score(string method, IReadOnlyList<MplObservation> train, double huberDelta = FitMetrics.HuberDelta)
    {
        var folds = Math.Min(MaxFolds, train.Count);
        var total = 0.0;
        for (var fold = 0; fold < folds; fold++)
        {
            var held = train.Where((_, i) => i % folds == fold).ToList();
            var fitted = MplFitMethods.Fit(method, train.Where((_, i) => i % folds != fold).ToList(), huberDelta);
            if (fitted.Parameters.Count == 0 || IdentifiedParameters.Problem(fitted.Parameters) is not null)
            {
                return double.PositiveInfinity;
            }

            var parameters = MultiPowerLawParameters.FromDictionary(fitted.Parameters);
            var predE = held.Average(o => FitMetrics.Of(o.Loss, MultiPowerLaw.Predict(parameters, o.Curve)).PredE);
            if (!double.IsFinite(predE))
            {
                return double.PositiveInfinity;
            }

            total += predE;
        }

        return total / folds;
    }
}
