using Sweeps.Core.Grid;

namespace Sweeps.Contracts;

/// <summary>
/// What a run grain is asked to execute: one run of a sweep's grid and its simulator (and, for
/// <c>command</c>, what to run), how the sweep stops runs early (null: it does not), and the run grain
/// of another sweep that finished the same run (<see cref="RunContent"/>), whose result is read instead.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweeps.run-assignment")]
public sealed record RunAssignment(
    [property: Id(0)] string SweepId,
    [property: Id(1)] RunDefinition Run,
    [property: Id(2)] string Simulator,
    [property: Id(3)] int CurvePoints,
    [property: Id(4)] Core.ExternalRuns.CommandSpec? Command = null,
    [property: Id(5)] Core.Specs.StoppingSettings? Stopping = null,
    [property: Id(6)] string? ReuseFrom = null);
