using Sweeps.Laws.Scaling;

namespace Sweeps.Contracts;

/// <summary>
/// Where a prediction started by <see cref="ILawFitGrain.StartPrediction"/> stands: unknown (never
/// started on this activation, or lost with its silo), running with the stages reached so far, or
/// ended with a <see cref="Prediction"/>, no data to predict from (no finished run with a final
/// loss: <see cref="Runs"/> 0), or an <see cref="Error"/>.
/// </summary>
/// <param name="Stages">Each stage as it started, "elapsed s  what" (reading the runs, each fit of the loss law, the search).</param>
/// <param name="Runs">Finished runs with a final loss it was predicted from.</param>
/// <param name="Curves">Run curves it was predicted from.</param>
[GenerateSerializer, Immutable, Alias("sweeps.prediction-progress")]
public sealed record PredictionProgress(
    [property: Id(0)] bool Known,
    [property: Id(1)] bool Running,
    [property: Id(2)] IReadOnlyList<string> Stages,
    [property: Id(3)] ScalePrediction? Prediction,
    [property: Id(4)] int Runs,
    [property: Id(5)] int Curves,
    [property: Id(6)] string? Error)
{
    public static PredictionProgress Unknown { get; } = new(false, false, [], null, 0, 0, null);
}
