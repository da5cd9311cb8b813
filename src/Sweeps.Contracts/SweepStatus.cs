using Sweeps.Laws;

namespace Sweeps.Contracts;

/// <summary>
/// A sweep's progress as the console and dashboards show it: run counts by status, how many
/// finished runs were executed before the sweep was last resumed (and so not run again),
/// duplicate result deliveries that were discarded, the latest fits, the lowest final loss of a
/// succeeded run (NaN before the first) and its grid index (−1), and how many of the finished
/// runs' steps were simulated (the rest continued from other runs' checkpoints), and how many runs were
/// read from another sweep's identical finished run instead of being run, and how many runs the sweep
/// added to its grid (<c>adaptive.refine</c>; they are among <see cref="TotalRuns"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweeps.sweep-status")]
public sealed record SweepStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] SweepState State,
    [property: Id(3)] long TotalRuns,
    [property: Id(4)] IReadOnlyDictionary<RunStatus, long> Counts,
    [property: Id(5)] long ResumedRuns,
    [property: Id(6)] long DuplicateResults,
    [property: Id(7)] IReadOnlyList<FitReport> Fits,
    [property: Id(8)] DateTimeOffset StartedAt,
    [property: Id(9)] DateTimeOffset? CompletedAt,
    [property: Id(10)] long TotalSteps = 0,
    [property: Id(11)] long SimulatedSteps = 0,
    [property: Id(12)] double BestFinalLoss = double.NaN,
    [property: Id(13)] long BestRunIndex = -1,
    [property: Id(14)] long ReusedRuns = 0,
    [property: Id(15)] long AddedRuns = 0)
{
    public long Finished => Counts.Where(c => c.Key.IsFinished()).Sum(c => c.Value);

    /// <summary>Every run recorded and the laws fitted (not cancelled).</summary>
    public bool IsCompleted => State == SweepState.Completed;

    /// <summary>Nothing more will happen unless the sweep is submitted again: completed or cancelled.</summary>
    public bool HasEnded => State is SweepState.Completed or SweepState.Cancelled;
}
