using Sweeps.Core.Curves;

namespace Sweeps.Contracts;

/// <summary>
/// A run still going: the part of its loss curve its kernel has recorded so far (thinned to the
/// points asked for, the latest always kept) and how far it has got of <see cref="TotalSteps"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweeps.live-run")]
public sealed record LiveRun(
    [property: Id(0)] long Index,
    [property: Id(1)] int Step,
    [property: Id(2)] int TotalSteps,
    [property: Id(3)] Curve Curve)
{
    /// <summary>The last lines a command run has written besides its protocol lines (null for simulated runs).</summary>
    [Id(4)]
    public IReadOnlyList<string>? LogTail { get; init; }
}
