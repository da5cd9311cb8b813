using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sweeps.Contracts;
using Sweeps.Core.ExternalRuns;
using Sweeps.Core.Schedules;
using Sweeps.Kernels;
using Sweeps.Kernels.ExternalRuns;

namespace Sweeps.Grains;

/// <summary>
/// Executes command runs on this silo: at most the sweep's <c>slots</c> at once (a semaphore per
/// sweep; the processes wait, not the worker pool, whose threads stay with the kernels), each
/// started again up to <c>retries</c> times when it fails or hangs, with the run's schedule in a
/// CSV under the silo's temporary directory. The result is a <see cref="RunResult"/> as a kernel's
/// would be: succeeded or diverged with its curve, or failed with the error and the log's tail.
/// </summary>
public sealed class CommandRuns(SweepsMetrics metrics, ILogger<CommandRuns> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _slots = new();

    /// <summary>Where run files go: one directory per sweep and run, removed when the run has finished.</summary>
    public static string RunDirectory(string sweepId, string runId) => Path.Combine(Path.GetTempPath(), "sweeps-runs", sweepId, runId);

    /// <param name="observer">Told each curve point and log line (default: <paramref name="live"/>).</param>
    internal async Task<RunResult> RunAsync(
        RunAssignment assignment, CommandSpec command, LiveCurve live, ActivityContext parent, CancellationToken cancellationToken, ICurveObserver? observer = null)
    {
        var run = assignment.Run;
        var slots = _slots.GetOrAdd(assignment.SweepId, _ => new SemaphoreSlim(command.Slots));
        await slots.WaitAsync(cancellationToken);
        try
        {
            metrics.RunStarted();
            using var span = SweepsTracing.StartRun(assignment.SweepId, run, CommandSimulator.Name, parent);
            var result = await AttemptsAsync(assignment, command, live, observer ?? live, cancellationToken);
            SweepsTracing.EndRun(span, result);
            metrics.RunFinished(result);
            return result;
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<RunResult> AttemptsAsync(RunAssignment assignment, CommandSpec command, LiveCurve live, ICurveObserver observer, CancellationToken cancellationToken)
    {
        var run = assignment.Run;
        var directory = RunDirectory(assignment.SweepId, run.RunId);
        var scheduleCsv = Path.Combine(directory, "schedule.csv");
        var learningRates = Schedule.Evaluate(run.Schedule);
        var arguments = CommandLine.Expand(command, run, assignment.SweepId, scheduleCsv);
        var clock = Stopwatch.StartNew();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                live.Restart();
                var outcome = await CommandRunner.RunAsync(command, arguments, learningRates, scheduleCsv, assignment.CurvePoints, observer, cancellationToken);
                if (!outcome.Failed)
                {
                    var status = outcome.Outcome == Kernels.RunOutcome.Diverged ? RunStatus.Diverged : RunStatus.Succeeded;
                    return new RunResult(assignment.SweepId, run.Index, status, outcome.FinalLoss, outcome.Curve, null, clock.Elapsed.TotalSeconds,
                        SimulatedSteps: run.TotalSteps, TotalSteps: run.TotalSteps)
                    { LogTail = outcome.LogTail };
                }

                var error = $"{outcome.Error} (attempt {attempt} of {command.Retries + 1})" + LastLines(outcome.LogTail);
                if (attempt > command.Retries)
                {
                    logger.RunFailed(run.Index, assignment.SweepId, error);
                    return new RunResult(assignment.SweepId, run.Index, RunStatus.Failed, double.NaN, outcome.Curve.Count > 0 ? outcome.Curve : null, error,
                        clock.Elapsed.TotalSeconds)
                    { LogTail = outcome.LogTail };
                }

                logger.RunRetried(run.Index, assignment.SweepId, error);
            }
        }
        finally
        {
            TryDelete(directory);
        }
    }

    private static string LastLines(IReadOnlyList<string> log) =>
        log.Count == 0 ? "" : "; last output: " + string.Join(" | ", log.TakeLast(5));

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // a process of the run still holds a file: the temporary directory is the OS's to clean
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
