namespace Sweeps.Contracts;

/// <summary>
/// A question for <see cref="ILawFitGrain.StartPrediction"/>: the configuration to recommend for a
/// model of <paramref name="ModelSize"/> parameters trained <paramref name="TotalSteps"/> steps.
/// </summary>
/// <param name="WarmupSteps">The warmup to use; null: the best warmup at the largest swept scale.</param>
/// <param name="Schedules">The schedules whose final loss to predict; null: all.</param>
[GenerateSerializer, Immutable, Alias("sweeps.prediction-request")]
public sealed record PredictionRequest(
    [property: Id(0)] double ModelSize,
    [property: Id(1)] int TotalSteps,
    [property: Id(2)] int? WarmupSteps,
    [property: Id(3)] IReadOnlyList<string>? Schedules)
{
    /// <summary>The request as a key: two requests with the same key ask the same question.</summary>
    public string Key => FormattableString.Invariant($"{ModelSize:R}|{TotalSteps}|{WarmupSteps}|{(Schedules is null ? "" : string.Join(',', Schedules.Order()))}");
}
