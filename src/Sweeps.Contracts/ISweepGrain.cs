using Orleans.Concurrency;
using Sweeps.Core.Specs;

namespace Sweeps.Contracts;

/// <summary>
/// Coordinates one sweep (key: the sweep id): expands its grid, keeps at most
/// <c>concurrency</c> runs in flight, records each result once, and fits the laws at the end. This is
/// what clients call; the sweep's own grains report to it through <see cref="ISweepReportGrain"/>.
/// </summary>
[Alias("sweeps.sweep")]
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>Starts the sweep, or resumes it when this id already has state (same spec).</summary>
    [Alias("start")]
    Task<SweepStatus> Start(SweepSpec spec);

    /// <summary>
    /// The sweep's progress as stored. It interleaves with the sweep's other calls (it only reads,
    /// synchronously), so a status read never waits behind a result being recorded.
    /// </summary>
    [Alias("status"), AlwaysInterleave]
    Task<SweepStatus> GetStatus();

    /// <summary>The spec the sweep was started with (null when this id has no sweep): its grid, for readers of its runs. Interleaves as <see cref="GetStatus"/> does.</summary>
    [Alias("spec"), AlwaysInterleave]
    Task<SweepSpec?> GetSpec();

    /// <summary>
    /// Stops dispatching and asks the in-flight runs to stop; finished runs and their results stay.
    /// Submitting the same spec again resumes the sweep. A finished sweep is left as it is.
    /// </summary>
    [Alias("cancel")]
    Task<SweepStatus> Cancel();

    /// <summary>
    /// The finished runs with grid index ≥ <paramref name="fromIndex"/>, in grid order: at most
    /// <paramref name="maxCount"/> (and at most a page of the sweep's ledger) a call. Fewer than
    /// asked does not mean the end; an empty list does (<see cref="SweepGrainExtensions.ReadRunsAsync"/>).
    /// </summary>
    [Alias("runs")]
    Task<IReadOnlyList<RunRecord>> GetRuns(long fromIndex, int maxCount);

    /// <summary>
    /// The runs recorded after <paramref name="afterSequence"/> of <paramref name="epoch"/>, in the
    /// order they finished (at most a few thousand a call); see <see cref="RunFeedPage"/> and
    /// <see cref="RunFollower"/>. Pass <see cref="Guid.Empty"/> to start.
    /// </summary>
    [Alias("recent")]
    Task<RunFeedPage> GetRecentRuns(Guid epoch, long afterSequence);

    /// <summary>
    /// Grid indices of up to <paramref name="max"/> runs in flight, lowest first (empty for a sweep of
    /// tasks, <c>runs_per_task</c>: its runs are too short to watch); <see cref="LiveRuns"/> reads their curves.
    /// </summary>
    [Alias("running")]
    Task<IReadOnlyList<long>> GetRunningRuns(int max);
}
