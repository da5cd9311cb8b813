using Sweeps.Laws;

namespace Sweeps.Grains;

/// <summary>Every version of a sweep's fits, newest last.</summary>
[GenerateSerializer, Alias("sweeps.law-fit-state")]
public sealed class LawFitGrainState
{
    [Id(0)] public List<FitVersion> Versions { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("sweeps.fit-version")]
public sealed record FitVersion(
    [property: Id(0)] int Version,
    [property: Id(1)] DateTimeOffset FittedAt,
    [property: Id(2)] IReadOnlyList<FitReport> Reports);
