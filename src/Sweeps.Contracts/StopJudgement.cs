namespace Sweeps.Contracts;

/// <summary>
/// What the sweep's stopping rule said of a run at one of its checkpoints: stop or go on, why, and the
/// law rule's prediction of its final loss (null when it made none).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweeps.stop-judgement")]
public sealed record StopJudgement(
    [property: Id(0)] bool Stop,
    [property: Id(1)] string Reason,
    [property: Id(2)] FinalLossPrediction? Prediction = null,
    [property: Id(3)] double LowEnd = double.NaN)
{
    /// <summary>The rule that judged (law, asha or median).</summary>
    [Id(4)]
    public string Rule { get; init; } = "";
}
