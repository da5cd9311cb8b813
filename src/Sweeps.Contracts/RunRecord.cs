namespace Sweeps.Contracts;

/// <summary>
/// What a sweep keeps of each finished run: enough to rank runs and fit laws, and how many of its
/// <see cref="TotalSteps"/> its kernel simulated (the rest continued from another run's checkpoint), and
/// for a run stopped early, the final loss the law rule predicted for it (null when it predicted none; nullable, so
/// that a record stored before the field existed reads back as none, not as 0).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweeps.run-record")]
public sealed record RunRecord(
    [property: Id(0)] long Index,
    [property: Id(1)] RunStatus Status,
    [property: Id(2)] double FinalLoss,
    [property: Id(3)] long TotalSteps = 0,
    [property: Id(4)] long SimulatedSteps = 0,
    [property: Id(5)] double? PredictedFinal = null);
