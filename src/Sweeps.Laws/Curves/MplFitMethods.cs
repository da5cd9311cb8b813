namespace Sweeps.Laws.Curves;

/// <summary>
/// The ways to fit the multi-power law to curves of one model size: <c>reference</c>, the published
/// pipeline with its early stop (<see cref="MplReferenceFit"/>), <c>optimum</c>, the objective's
/// minimum (<see cref="MultiPowerLawFit"/>), and two that pick one of those two from the training
/// curves: the default <c>auto</c> by whether the optimum's residuals are white
/// (<see cref="MplAutoFit"/>), and <c>schedule-cv</c> by predicting held-out training schedules
/// (<see cref="ScheduleCrossValidation"/>); docs/architecture.md, "The MPL's fit methods". A fit
/// file's <c>method</c> names the one whose parameters it holds; <c>selected_by</c> says what chose it.
/// </summary>
public static class MplFitMethods
{
    public const string Optimum = "optimum";

    public const string Reference = MplReferenceFit.MethodName;

    public const string CrossValidated = ScheduleCrossValidation.MethodName;

    public const string Auto = MplAutoFit.MethodName;

    public const string Default = Auto;

    public static readonly IReadOnlyList<string> Names = [Auto, Reference, Optimum, CrossValidated];

    public static FitReport Fit(string method, IReadOnlyList<MplObservation> train, double huberDelta = FitMetrics.HuberDelta) => method switch
    {
        Auto => MplAutoFit.Fit(train, huberDelta),
        CrossValidated => ScheduleCrossValidation.Fit(train, huberDelta),
        Reference => MplReferenceFit.Fit(train, huberDelta),
        Optimum => MultiPowerLawFit.Fit(train, huberDelta),
        _ => throw new ArgumentException($"unknown MPL fit method '{method}' (one of {string.Join(", ", Names)})", nameof(method)),
    };
}
