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

    public static string Describe(SweepStatus status, double seconds)
    {
        var rate = seconds > 0 ? status.Finished / seconds : 0;
        var remaining = status.TotalRuns - status.Finished;
        var eta = rate > 0 ? TimeSpan.FromSeconds(remaining / rate).ToString(@"hh\:mm\:ss") : "--:--:--";
        var percent = status.TotalRuns == 0 ? 100 : 100.0 * status.Finished / status.TotalRuns;
        return $"{status.Finished}/{status.TotalRuns} runs ({percent:F0}%), {rate:F1} runs/s, ETA {eta}, {State(status)}";
    }

    private static async Task<SweepStatus> FollowPlainAsync(Func<Task<SweepStatus>> poll, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var lastLine = TimeSpan.Zero;
        while (true)
        {
            var status = await poll();
            if (status.HasEnded || clock.Elapsed - lastLine >= PlainLinePeriod)
            {
                await Console.Error.WriteLineAsync($"[sweeps] {Describe(status, clock.Elapsed.TotalSeconds)}");
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
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("runs", maxValue: Math.Max(1, status.TotalRuns));
                while (true)
                {
                    var rate = clock.Elapsed.TotalSeconds > 0 ? status.Finished / clock.Elapsed.TotalSeconds : 0;
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

    private static string State(SweepStatus status) => status.State switch
    {
        SweepState.Fitting => "fitting laws",
        SweepState.Completed => "completed",
        SweepState.Cancelled => "cancelled",
        _ => $"{status.Counts.GetValueOrDefault(RunStatus.Running)} running",
    };
}
