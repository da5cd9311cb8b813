using Sweeps.Contracts;
using Sweeps.Core.Specs;
using Sweeps.Laws;

namespace Sweeps.Grains;

/// <summary>
/// A sweep's durable state: its spec (the grid is recomputed from it), its lifecycle and the fits.
/// The finished runs are not here but in the pages of its <see cref="Ledger.RunLedger"/>, stored
/// beside it, so this state stays small whatever the size of the grid.
/// </summary>
[GenerateSerializer, Alias("sweeps.sweep-grain-state")]
public sealed class SweepGrainState
{
    [Id(0)] public SweepSpec? Spec { get; set; }

    [Id(1)] public SweepState State { get; set; }

    [Id(2)] public DateTimeOffset StartedAt { get; set; }

    [Id(3)] public DateTimeOffset? CompletedAt { get; set; }

    [Id(5)] public long ResumedRuns { get; set; }

    [Id(6)] public long DuplicateResults { get; set; }

    [Id(7)] public List<FitReport> Fits { get; set; } = [];

    /// <summary>Runs whose result was read from another sweep's identical run (<see cref="Dispatch.RunReuse"/>), not run.</summary>
    [Id(8)] public long ReusedRuns { get; set; }

    /// <summary>Runs the sweep added to its grid (<c>adaptive.refine</c>), from index <see cref="Core.Grid.SweepGrid.GridCount"/> on.</summary>
    [Id(9)] public List<Core.Grid.RunDefinition> AddedRuns { get; set; } = [];

    /// <summary>The spec as started with the runs the sweep added: what the sweep, its readers and other sweeps' reuse expand.</summary>
    public SweepSpec? ExpandedSpec => Spec is null || AddedRuns.Count == 0 ? Spec : Spec with { AddedRuns = [.. AddedRuns] };
}
