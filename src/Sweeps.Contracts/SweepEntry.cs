namespace Sweeps.Contracts;

/// <summary>A sweep as the directory lists it.</summary>
[GenerateSerializer, Immutable, Alias("sweeps.sweep-entry")]
public sealed record SweepEntry(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] long TotalRuns,
    [property: Id(3)] DateTimeOffset SubmittedAt);
