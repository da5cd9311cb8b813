namespace Sweeps.Contracts;

/// <summary>What a sweep keeps of each finished run: enough to rank runs and fit laws.</summary>
[GenerateSerializer, Immutable, Alias("sweeps.run-record")]
public sealed record RunRecord(
    [property: Id(0)] long Index,
    [property: Id(1)] RunStatus Status,
    [property: Id(2)] double FinalLoss);
