namespace Sweeps.Laws.Mpl;

/// <summary>
/// The ways to fit the multi-power law to curves of one model size: <c>reference</c>, the published
/// pipeline with its early stop (<see cref="MplReferenceFit"/>), <c>optimum</c>, the objective's
/// minimum (<see cref="MultiPowerLawFit"/>), and the default <c>schedule-cv</c>, which picks one of
/// the two by predicting held-out training schedules (<see cref="ScheduleCrossValidation"/>;
/// docs/architecture.md, "Which MPL fit is the default"). A fit file's <c>method</c> names the one
/// whose parameters it holds; <c>selected_by</c> says when schedule-cv chose it.
/// </summary>
public static class MplFitMethods
{
    public const string Optimum = "optimum";

    public const string Reference = MplReferenceFit.MethodName;

    public const string CrossValidated = ScheduleCrossValidation.MethodName;

    public const string Default = CrossValidated;

    public static readonly IReadOnlyList<string> Names = [CrossValidated, Reference, Optimum];

    public static FitReport Fit(string method, IReadOnlyList<MplObservation> train, double huberDelta = FitMetrics.HuberDelta) => method switch
    {
        CrossValidated => ScheduleCrossValidation.Fit(train, huberDelta),
        Reference => MplReferenceFit.Fit(train, huberDelta),
        Optimum => MultiPowerLawFit.Fit(train, huberDelta),
        _ => throw new ArgumentException($"unknown MPL fit method '{method}' (one of {string.Join(", ", Names)})", nameof(method)),
    };
}
