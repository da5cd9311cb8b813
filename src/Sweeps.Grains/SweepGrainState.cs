using Sweeps.Contracts;
using Sweeps.Core.Specs;
using Sweeps.Laws;

namespace Sweeps.Grains;

/// <summary>
/// A sweep's durable state: its spec (the grid is recomputed from it), the record of every
/// finished run keyed by grid index (so each result is recorded once), and the fits.
/// </summary>
[GenerateSerializer, Alias("sweeps.sweep-grain-state")]
public sealed class SweepGrainState
{
    [Id(0)] public SweepSpec? Spec { get; set; }

    [Id(1)] public SweepState State { get; set; }

    [Id(2)] public DateTimeOffset StartedAt { get; set; }

    [Id(3)] public DateTimeOffset? CompletedAt { get; set; }

    [Id(4)] public Dictionary<long, RunRecord> Finished { get; set; } = [];

    [Id(5)] public long ResumedRuns { get; set; }

    [Id(6)] public long DuplicateResults { get; set; }

    [Id(7)] public List<FitReport> Fits { get; set; } = [];

    /// <summary>Σ steps of the finished runs, and how many of them their kernels simulated (the rest were shared prefixes).</summary>
    [Id(8)] public long TotalSteps { get; set; }

    [Id(9)] public long SimulatedSteps { get; set; }
}
