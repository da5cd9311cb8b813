using Sweeps.Laws;

namespace Sweeps.Contracts;

/// <summary>One fit of a sweep's laws, as its law-fit grain keeps it (versions count from 1).</summary>
[GenerateSerializer, Immutable, Alias("sweeps.fit-version")]
public sealed record FitVersion(
    [property: Id(0)] int Version,
    [property: Id(1)] DateTimeOffset FittedAt,
    [property: Id(2)] IReadOnlyList<FitReport> Reports)
{
    /// <summary>How many finished runs with a final loss it was fitted on.</summary>
    [Id(3)] public long FinishedRuns { get; init; }
}

/// <summary>Where a fit version stands: done (<see cref="Version"/> set), still being fitted, or neither (never started here, or lost with its silo).</summary>
[GenerateSerializer, Immutable, Alias("sweeps.fit-version-state")]
public sealed record FitVersionState([property: Id(0)] FitVersion? Version, [property: Id(1)] bool Fitting);
