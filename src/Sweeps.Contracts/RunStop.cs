namespace Sweeps.Contracts;

/// <summary>
/// Why a run was stopped early, in the figures the stopping rule compared: the step it had reached,
/// the rule, its reason, and for the law rule the predicted final loss and the low end of its interval
/// (NaN for the other rules).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweeps.run-stop")]
public sealed record RunStop(
    [property: Id(0)] int Step,
    [property: Id(1)] string Rule,
    [property: Id(2)] string Reason,
    [property: Id(3)] double PredictedFinal,
    [property: Id(4)] double LowEnd);
