using Microsoft.Extensions.Logging;

namespace Sweeps.Grains;

/// <summary>
/// Every line the grains log, as source-generated <see cref="LoggerMessageAttribute"/> methods: no
/// boxing or parsing of the template per call, and each line's fields (sweep id, run index) are
/// structured. Event ids are stable: 1xx a sweep's lifecycle, 2xx runs, 3xx fits, 4xx reports.
/// </summary>
internal static partial class SweepsLog
{
    [LoggerMessage(101, LogLevel.Information, "Sweep {SweepId} ({SweepName}) started: {TotalRuns} runs of {Simulator}")]
    public static partial void SweepStarted(this ILogger logger, string sweepId, string sweepName, long totalRuns, string simulator);

    [LoggerMessage(102, LogLevel.Information, "Sweep {SweepId} resumed on this silo: {Finished} of {TotalRuns} runs already finished")]
    public static partial void SweepResumed(this ILogger logger, string sweepId, long finished, long totalRuns);

    [LoggerMessage(103, LogLevel.Information, "Sweep {SweepId} is interrupted ({Finished} of {TotalRuns} runs finished); this process only reads it")]
    public static partial void SweepInterrupted(this ILogger logger, string sweepId, long finished, long totalRuns);

    [LoggerMessage(104, LogLevel.Information, "Sweep {SweepId} cancelled with {Finished} of {TotalRuns} runs finished")]
    public static partial void SweepCancelled(this ILogger logger, string sweepId, long finished, long totalRuns);

    [LoggerMessage(105, LogLevel.Information, "Sweep {SweepId} completed: {Succeeded} succeeded, {Diverged} diverged, {Failed} failed, {Stopped} stopped; best final loss {BestFinalLoss} (run {BestRunIndex})")]
    public static partial void SweepCompleted(this ILogger logger, string sweepId, long succeeded, long diverged, long failed, long stopped, double bestFinalLoss, long bestRunIndex);

    [LoggerMessage(110, LogLevel.Information, "Sweep {SweepId} added {Added} runs to its grid ({TotalAdded} in all) where the optimal peak LR is not resolved: {Cells}")]
    public static partial void RunsAdded(this ILogger logger, string sweepId, int added, int totalAdded, string cells);

    [LoggerMessage(111, LogLevel.Warning, "Sweep {SweepId} has added {TotalAdded} runs, its max_added_runs allows no more, and {Wanted} peak LRs were still wanted; the fits say which optima are not resolved")]
    public static partial void RefineBudgetSpent(this ILogger logger, string sweepId, int totalAdded, int wanted);

    [LoggerMessage(112, LogLevel.Warning, "Sweep {SweepId} could not look for runs other sweeps finished; it runs all of its own")]
    public static partial void ReuseSearchFailed(this ILogger logger, Exception exception, string sweepId);

    [LoggerMessage(106, LogLevel.Warning, "Sweep {SweepId} has no spec; dropping {Count} results")]
    public static partial void ResultsWithoutSpec(this ILogger logger, string sweepId, int count);

    [LoggerMessage(107, LogLevel.Warning, "Sweep {SweepId} has no run {RunIndex}; dropping its result")]
    public static partial void ResultOutsideGrid(this ILogger logger, string sweepId, long runIndex);

    [LoggerMessage(108, LogLevel.Warning, "Dispatching the in-flight runs of sweep {SweepId} again failed for some; the next round retries")]
    public static partial void RedispatchFailed(this ILogger logger, Exception exception, string sweepId);

    [LoggerMessage(109, LogLevel.Warning, "Dispatching run {RunIndex} of sweep {SweepId} failed; it will be retried")]
    public static partial void DispatchFailed(this ILogger logger, Exception exception, long runIndex, string sweepId);

    [LoggerMessage(201, LogLevel.Warning, "Run {RunIndex} of sweep {SweepId} failed: {Error}")]
    public static partial void RunFailed(this ILogger logger, long runIndex, string sweepId, string? error);

    [LoggerMessage(202, LogLevel.Warning, "Run {RunIndex} of sweep {SweepId} failed, starting it again: {Error}")]
    public static partial void RunRetried(this ILogger logger, long runIndex, string sweepId, string? error);

    [LoggerMessage(203, LogLevel.Warning, "Storing the result of run {RunIndex} of sweep {SweepId} failed; the next dispatch tries again")]
    public static partial void RunStoreFailed(this ILogger logger, Exception exception, long runIndex, string sweepId);

    [LoggerMessage(204, LogLevel.Warning, "Storing the results of a task of sweep {SweepId} failed; the next dispatch tries again")]
    public static partial void TaskStoreFailed(this ILogger logger, Exception exception, string sweepId);

    [LoggerMessage(205, LogLevel.Information, "Run {RunIndex} of sweep {SweepId} stopped at step {Step} of {TotalSteps} by rule {Rule}: {Reason}")]
    public static partial void RunStopped(this ILogger logger, long runIndex, string sweepId, int step, int totalSteps, string rule, string reason);

    [LoggerMessage(206, LogLevel.Warning, "Judging run {RunIndex} of sweep {SweepId} at step {Step} failed; it goes on")]
    public static partial void JudgingFailed(this ILogger logger, Exception exception, long runIndex, string sweepId, int step);

    [LoggerMessage(207, LogLevel.Warning, "Reading the identical run {Source} for run {RunIndex} of sweep {SweepId} failed; it runs here")]
    public static partial void ReuseFailed(this ILogger logger, Exception exception, string source, long runIndex, string sweepId);

    [LoggerMessage(301, LogLevel.Error, "Starting the fits of sweep {SweepId} failed")]
    public static partial void FitStartFailed(this ILogger logger, Exception exception, string sweepId);

    [LoggerMessage(302, LogLevel.Error, "Fitting the laws of sweep {SweepId} failed")]
    public static partial void FitFailed(this ILogger logger, Exception exception, string sweepId);

    [LoggerMessage(304, LogLevel.Error, "Predicting at a new scale from sweep {SweepId} failed")]
    public static partial void PredictionFailed(this ILogger logger, Exception exception, string sweepId);

    [LoggerMessage(303, LogLevel.Warning, "Storing fit version {Version} of sweep {SweepId} failed")]
    public static partial void FitStoreFailed(this ILogger logger, Exception exception, int version, string sweepId);

    [LoggerMessage(401, LogLevel.Warning, "Reporting {What} of sweep {SweepId} failed (attempt {Attempt}); retrying")]
    public static partial void ReportRetried(this ILogger logger, Exception exception, string what, string sweepId, int attempt);

    [LoggerMessage(402, LogLevel.Error, "Could not report {What} of sweep {SweepId}; the sweep will ask again")]
    public static partial void ReportGivenUp(this ILogger logger, Exception exception, string what, string sweepId);
}
