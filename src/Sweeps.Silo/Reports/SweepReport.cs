using Sweeps.Contracts;
using Sweeps.Laws;

namespace Sweeps.Silo.Reports;

/// <summary>
/// The document <c>sweeps run --json</c> prints (and <c>sweeps status --json</c> will):
/// <c>{"id", "state", "total_runs", "counts": {status: n}, "fits": [...]}</c> plus where the
/// results are, how much of the sweep was recovered on resume (<c>resumed_runs</c>) or read from other
/// sweeps' identical runs (<c>reused_runs</c>), how many runs it added to its grid (<c>added_runs</c>), when it started and ended, and its
/// best run (<c>best_final_loss</c>, null before the first success; <c>best_run_index</c>).
/// </summary>
public sealed record SweepReport(
    string Id,
    string Name,
    SweepState State,
    long TotalRuns,
    IReadOnlyDictionary<string, long> Counts,
    long ResumedRuns,
    long DuplicateResults,
    IReadOnlyList<FitReport> Fits,
    string? DataDir,
    double ElapsedSeconds,
    StepCounts Steps,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    double BestFinalLoss,
    long? BestRunIndex,
    long ReusedRuns,
    long AddedRuns)
{
    /// <summary>A sweep's report as a client sees it: no data directory, elapsed time since it started (until it ended).</summary>
    public static SweepReport Of(SweepStatus status) =>
        From(status, null, ((status.CompletedAt ?? DateTimeOffset.UtcNow) - status.StartedAt).TotalSeconds);

    public static SweepReport From(SweepStatus status, string? dataDirectory, double elapsedSeconds) => new(
        status.Id,
        status.Name,
        status.State,
        status.TotalRuns,
        Enum.GetValues<RunStatus>().ToDictionary(s => s.ToString().ToLowerInvariant(), s => status.Counts.GetValueOrDefault(s)),
        status.ResumedRuns,
        status.DuplicateResults,
        status.Fits,
        dataDirectory,
        elapsedSeconds,
        new StepCounts(status.TotalSteps, status.SimulatedSteps),
        status.StartedAt,
        status.CompletedAt,
        status.BestFinalLoss,
        status.BestRunIndex >= 0 ? status.BestRunIndex : null,
        status.ReusedRuns,
        status.AddedRuns);
}

/// <summary>Steps of the finished runs, and how many their kernels simulated rather than took from another run's checkpoint.</summary>
public sealed record StepCounts(long Total, long Simulated)
{
    public double SharedFraction => Total > 0 ? 1 - (double)Simulated / Total : 0;
}
