using System.CommandLine;
using Sweeps.Cli.Cluster;
using Sweeps.Cli.Embedded;
using Sweeps.Cli.Output;
using Sweeps.Contracts;

namespace Sweeps.Cli.Commands.Cluster;

/// <summary>
/// The client commands: <c>submit SPEC</c> (prints the sweep id as its last line), <c>status ID [--json]</c>
/// <c>watch ID</c> (live progress; exit 0 when the sweep completed, 1 when it was cancelled) and
/// <c>cancel ID</c>, each with <c>--cluster</c> or <c>--gateway</c>.
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
            var address = where.Read(parse);
            var sweepSpec = address is null ? null : SpecFile.Load(parse.GetValue(spec)!, maxRuns: null, Console.Error);
            if (address is null || sweepSpec is null)
            {
                return ExitCodes.BadInput;
            }

            await using var connection = await ClusterClient.ConnectAsync(address, cancellationToken);
            var id = SweepIds.For(sweepSpec);
            var status = await connection.Client.GetGrain<ISweepGrain>(id).Start(sweepSpec);
            Console.Error.WriteLine($"submitted {sweepSpec.Name}: {status.TotalRuns} runs ({status.Finished} already finished)");
            Console.WriteLine(id);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Status()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document (as sweeps run --json)" };
        return SweepCommand("status", "A sweep's progress and fits", [json], (_, status, parse, _) =>
        {
            var elapsed = ((status.CompletedAt ?? DateTimeOffset.UtcNow) - status.StartedAt).TotalSeconds;
            Console.WriteLine(parse.GetValue(json)
                ? ConsoleJson.Serialize(SweepReport.From(status, null, elapsed))
                : $"{status.Name} ({status.Id}): {status.State.ToString().ToLowerInvariant()}, {status.Finished} of {status.TotalRuns} runs finished");
            return Task.FromResult(ExitCodes.Success);
        });
    }

    public static Command Cancel() =>
        SweepCommand("cancel", "Stop a sweep: no more runs start, running ones are asked to stop; finished runs are kept", [], async (sweep, _, _, _) =>
        {
            var status = await sweep.Cancel();
            Console.WriteLine($"{status.Id}: {status.State.ToString().ToLowerInvariant()}, {status.Finished} of {status.TotalRuns} runs finished (submit the spec again to resume)");
            return ExitCodes.Success;
        });

    public static Command Watch() =>
        SweepCommand("watch", "Follow a sweep's progress until it ends", [], async (sweep, _, _, cancellationToken) =>
        {
            var status = await ProgressView.FollowAsync(() => StatusOf(sweep, cancellationToken), cancellationToken);
            return status.IsDone ? ExitCodes.Success : ExitCodes.Failure;
        });

    /// <summary>
    /// A command about one sweep: <c>NAME ID</c> with the cluster options. It connects, checks that the
    /// sweep exists (exit 2 if not), and hands the sweep and its status to <paramref name="action"/>.
    /// </summary>
    private static Command SweepCommand(string name, string description, Option[] options,
        Func<ISweepGrain, SweepStatus, ParseResult, CancellationToken, Task<int>> action)
    {
        var id = new Argument<string>("id") { Description = "The sweep id that submit printed" };
        var where = new ClusterOptions();
        var command = new Command(name, description) { id };
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        where.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (where.Read(parse) is not { } address)
            {
                return ExitCodes.BadInput;
            }

            await using var connection = await ClusterClient.ConnectAsync(address, cancellationToken);
            var sweep = connection.Client.GetGrain<ISweepGrain>(parse.GetValue(id)!);
            var status = await StatusOf(sweep, cancellationToken);
            if (status.TotalRuns == 0)
            {
                Console.Error.WriteLine($"no sweep with id '{parse.GetValue(id)}' in cluster {address.ClusterId}");
                return ExitCodes.BadInput;
            }

            return await action(sweep, status, parse, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// The sweep's status, asking again while its grain is unreachable: when a silo dies the grain
    /// answers nothing until the cluster declares the silo dead and the grain resumes elsewhere.
    /// </summary>
    private static async Task<SweepStatus> StatusOf(ISweepGrain sweep, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await sweep.GetStatus();
            }
            catch (Exception e) when (e is TimeoutException or OrleansException && !cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync($"[sweeps] the sweep is not answering ({e.GetType().Name}); retrying (attempt {attempt})");
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }
}
