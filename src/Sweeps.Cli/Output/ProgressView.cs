using System.Diagnostics;
using Spectre.Console;
using Sweeps.Contracts;

namespace Sweeps.Cli.Output;

/// <summary>
/// Shows a sweep's progress on stderr until it completes: a live Spectre.Console bar (runs
/// done/total, rate, ETA) on a terminal, or a plain line every few seconds when stderr is a file
/// or pipe, so logs stay readable.
/// </summary>
internal static class ProgressView
{
    private static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan PlainLinePeriod = TimeSpan.FromSeconds(3);

    public static async Task<SweepStatus> FollowAsync(Func<Task<SweepStatus>> poll, CancellationToken cancellationToken)
    {
        return Console.IsErrorRedirected
            ? await FollowPlainAsync(poll, cancellationToken)
            : await FollowLiveAsync(poll, cancellationToken);
    }

    /// <summary>A progress line; the rate counts only runs finished since following began (<paramref name="finishedAtStart"/>).</summary>
    public static string Describe(SweepStatus status, double seconds, long finishedAtStart = 0)
    {
        var rate = RunsPerSecond(status, seconds, finishedAtStart);
        var remaining = status.TotalRuns - status.Finished;
        var eta = Eta(remaining, rate);
        var percent = status.TotalRuns == 0 ? 100 : 100.0 * status.Finished / status.TotalRuns;
        return $"{status.Finished}/{status.TotalRuns} runs ({percent:F0}%), {rate:F1} runs/s, ETA {eta}, {State(status)}";
    }

    /// <summary>Time left at the current rate, as h:mm:ss (hours past 24 stay hours); unknown while nothing finishes.</summary>
    internal static string Eta(long remaining, double runsPerSecond)
    {
        if (!(runsPerSecond > 0))
            return "--:--:--";
        var seconds = remaining / runsPerSecond;
        if (seconds >= 100 * 3600.0)
            return ">99:59:59";
        var whole = (long)Math.Ceiling(seconds);
        return $"{whole / 3600:00}:{whole / 60 % 60:00}:{whole % 60:00}";
    }

    private static async Task<SweepStatus> FollowPlainAsync(Func<Task<SweepStatus>> poll, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var lastLine = TimeSpan.Zero;
        long? finishedAtStart = null;
        while (true)
        {
            var status = await poll();
            finishedAtStart ??= status.Finished;
            if (status.HasEnded || clock.Elapsed - lastLine >= PlainLinePeriod)
            {
                await Console.Error.WriteLineAsync($"[sweeps] {Describe(status, clock.Elapsed.TotalSeconds, finishedAtStart.Value)}");
                lastLine = clock.Elapsed;
            }

            if (status.HasEnded)
            {
                return status;
            }

            await Task.Delay(PollPeriod, cancellationToken);
        }
    }

    private static async Task<SweepStatus> FollowLiveAsync(Func<Task<SweepStatus>> poll, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var clock = Stopwatch.StartNew();
        SweepStatus status = await poll();
        var finishedAtStart = status.Finished;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("runs", maxValue: Math.Max(1, status.TotalRuns));
                while (true)
                {
                    var rate = RunsPerSecond(status, clock.Elapsed.TotalSeconds, finishedAtStart);
                    task.Description = $"{status.Finished}/{status.TotalRuns} runs · {rate:F1}/s · {State(status)}";
                    task.Value = status.Finished;
                    if (status.HasEnded)
                    {
                        task.StopTask();
                        return;
                    }

                    await Task.Delay(PollPeriod, cancellationToken);
                    status = await poll();
                }
            });
        return status;
    }

    /// <summary>Runs finished per second since following began: runs recorded before (a resumed or finished sweep) are not this session's rate.</summary>
    private static double RunsPerSecond(SweepStatus status, double seconds, long finishedAtStart) =>
        seconds > 0 ? (status.Finished - finishedAtStart) / seconds : 0;

    private static string State(SweepStatus status) => status.State switch
    {
        SweepState.Fitting => "fitting laws",
        SweepState.Completed => "completed",
        SweepState.Cancelled => "cancelled",
        _ => $"{status.Counts.GetValueOrDefault(RunStatus.Running)} running",
    };
}
