using Sweeps.Core.Grid;

namespace Sweeps.Contracts;

/// <summary>What a run-task grain is asked to execute: consecutive runs of a sweep's grid and their simulator.</summary>
[GenerateSerializer, Immutable, Alias("sweeps.run-task-assignment")]
public sealed record RunTaskAssignment(
    [property: Id(0)] string SweepId,
    [property: Id(1)] IReadOnlyList<RunDefinition> Runs,
    [property: Id(2)] string Simulator,
    [property: Id(3)] int CurvePoints);
