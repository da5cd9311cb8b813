using System.CommandLine;
using Sweeps.Silo.Reports;
using Sweeps.Cli.Cluster;
using Sweeps.Cli.Embedded;
using Sweeps.Cli.Output;
using Sweeps.Cli.Output.Plots;
using Sweeps.Cli.Results;
using Sweeps.Contracts;

namespace Sweeps.Cli.Commands.Cluster;

/// <summary>
/// The client commands that drive a sweep: <c>submit SPEC</c> (prints the sweep id as its last line),
/// <c>watch ID</c> (live progress; exit 0 when the sweep completed, 1 when it was cancelled) and
/// <c>cancel ID</c>, each with <c>--cluster</c> or <c>--gateway</c>. (Reading one: <see cref="StatusCommand"/>,
/// <see cref="FitCommand"/>, <see cref="ExportCommand"/>.)
/// </summary>
internal static class ClientCommands
{
    public static Command Submit()
    {
        var spec = new Argument<string>("spec") { Description = "The sweep spec (YAML)" };
        var where = new ClusterOptions();
        var command = new Command("submit", "Submit a sweep to a cluster; prints its id (submitting the same spec again resumes it)") { spec };
        where.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (SpecFile.Load(parse.GetValue(spec)!, maxRuns: null, Console.Error) is not { } sweepSpec)
            {
                return ExitCodes.BadInput;
            }

            var (connection, exitCode) = await where.ConnectAsync(parse, cancellationToken);
            if (connection is null)
            {
                return exitCode;
            }

            await using var _ = connection;

            var id = SweepIds.For(sweepSpec);
            var status = await connection.Client.GetGrain<ISweepGrain>(id).Start(sweepSpec);
            Console.Error.WriteLine($"submitted {sweepSpec.Name}: {status.TotalRuns} runs ({status.Finished} already finished)");
            Console.WriteLine(id);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Cancel() =>
        SweepCommandBuilder.Create("cancel", "Stop a sweep: no more runs start, running ones are asked to stop; finished runs are kept", [], async (sweep, _, _, _, _) =>
        {
            var status = await sweep.Cancel();
            Console.WriteLine($"{status.Id}: {status.State.ToString().ToLowerInvariant()}, {status.Finished} of {status.TotalRuns} runs finished (submit the spec again to resume)");
            return ExitCodes.Success;
        });

    public static Command Watch()
    {
        var plots = new Option<string?>("--plots") { Description = "When the sweep has ended, write PNG plots here: loss curves, heatmap, law fits" };
        return SweepCommandBuilder.Create("watch", "Follow a sweep live until it ends: progress, runs by status, best run per model size, fitted coefficients", [plots],
            async (sweep, _, parse, client, cancellationToken) =>
            {
                var results = (await SweepResults.OpenAsync(client, sweep.GetPrimaryKeyString()))!;
                var status = await WatchView.FollowAsync(sweep, results.Grid, () => SweepCommandBuilder.StatusOf(sweep, cancellationToken), cancellationToken);
                if (parse.GetValue(plots) is { } directory)
                {
                    foreach (var written in await SweepPlots.WriteAsync(results, status, directory))
                    {
                        await Console.Error.WriteLineAsync($"[sweeps] wrote {written}");
                    }
                }

                return status.IsCompleted ? ExitCodes.Success : ExitCodes.Failure;
            });
    }
}
