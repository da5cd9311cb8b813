using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Rendering;
using Sweeps.Contracts;
using Sweeps.Core.Grid;

namespace Sweeps.Cli.Output;

/// <summary>
/// <c>sweeps watch</c>: a sweep followed live on stderr until it ends. On a terminal, a Spectre.Console
/// live view redrawn twice a second: the progress line, runs by status as a bar, the best run of each
/// model size so far, and the latest fitted coefficients. Piped, a progress line every few seconds
/// and the tables once at the end. Runs are read as they finish (<see cref="RunFollower"/>), never the
/// whole sweep per refresh.
/// </summary>
internal sealed class WatchView(SweepGrid grid)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan PlainLinePeriod = TimeSpan.FromSeconds(3);

    private readonly BestRuns _best = new(grid);

    /// <summary>Takes in runs the follower brought: on a reset, the whole sweep again.</summary>
    public void Apply(IReadOnlyList<RunRecord> runs, bool reset)
    {
        if (reset)
        {
            _best.Clear();
        }

        foreach (var record in runs)
        {
            _best.Add(record);
        }
    }

    public IEnumerable<(RunDefinition Run, double FinalLoss)> BestPerModelSize => _best.PerModelSize;

    public IRenderable Render(SweepStatus status, string progress)
    {
        var parts = new List<IRenderable>
        {
            new Markup($"[bold]{Markup.Escape(status.Name)}[/] ({Markup.Escape(status.Id)}): {Markup.Escape(progress)}\n"),
            new BreakdownChart().Width(60)
                .AddItem("succeeded", status.Counts.GetValueOrDefault(RunStatus.Succeeded), Color.Green)
                .AddItem("ingested", status.Counts.GetValueOrDefault(RunStatus.Ingested), Color.Teal)
                .AddItem("diverged", status.Counts.GetValueOrDefault(RunStatus.Diverged), Color.Orange1)
                .AddItem("failed", status.Counts.GetValueOrDefault(RunStatus.Failed), Color.Red)
                .AddItem("stopped", status.Counts.GetValueOrDefault(RunStatus.Stopped), Color.Grey70)
                .AddItem("running", status.Counts.GetValueOrDefault(RunStatus.Running), Color.Blue)
                .AddItem("pending", status.Counts.GetValueOrDefault(RunStatus.Pending), Color.Grey),
        };
        if (!_best.IsEmpty)
        {
            parts.Add(SummaryView.BestRunsTable(BestPerModelSize));
        }

        parts.AddRange(SummaryView.Fits(status.Fits));
        return new Rows(parts);
    }

    /// <summary>Follows the sweep until it has ended; returns its last status.</summary>
    public static async Task<SweepStatus> FollowAsync(ISweepGrain sweep, SweepGrid grid, Func<Task<SweepStatus>> poll, CancellationToken cancellationToken)
    {
        var view = new WatchView(grid);
        var follower = new RunFollower(sweep);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var clock = Stopwatch.StartNew();
        var status = await poll();
        var finishedAtStart = status.Finished;

        async Task<SweepStatus> NextAsync()
        {
            var next = await poll(); // first: the runs read after it include every run it counts (it waits out a dead silo)
            try
            {
                var (runs, reset) = await follower.NextAsync();
                view.Apply(runs, reset);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                // The sweep moved between the two calls (its silo died): the next round reads again,
                // from the ledger if the new activation's feed does not know this follower.
            }

            return next;
        }

        string Progress(SweepStatus s) => ProgressView.Describe(s, clock.Elapsed.TotalSeconds, finishedAtStart);

        status = await NextAsync();
        if (Console.IsErrorRedirected)
        {
            TimeSpan? lastLine = null;
            while (true)
            {
                if (status.HasEnded || lastLine is null || clock.Elapsed - lastLine >= PlainLinePeriod)
                {
                    await Console.Error.WriteLineAsync($"[sweeps] {Progress(status)}");
                    lastLine = clock.Elapsed;
                }

                if (status.HasEnded)
                {
                    console.Write(view.Render(status, Progress(status)));
                    return status;
                }

                await Task.Delay(Refresh, cancellationToken);
                status = await NextAsync();
            }
        }

        await console.Live(view.Render(status, Progress(status))).StartAsync(async context =>
        {
            while (!status.HasEnded)
            {
                await Task.Delay(Refresh, cancellationToken);
                status = await NextAsync();
                context.UpdateTarget(view.Render(status, Progress(status)));
            }
        });
        return status;
    }
}
