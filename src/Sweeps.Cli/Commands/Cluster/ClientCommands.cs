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
        var id = new Argument<string>("id") { Description = "The sweep id that submit printed" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document (as sweeps run --json)" };
        var where = new ClusterOptions();
        var command = new Command("status", "A sweep's progress and fits") { id, json };
        where.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (where.Read(parse) is not { } address)
            {
                return ExitCodes.BadInput;
            }

            await using var connection = await ClusterClient.ConnectAsync(address, cancellationToken);
            var status = await connection.Client.GetGrain<ISweepGrain>(parse.GetValue(id)!).GetStatus();
            if (status.TotalRuns == 0)
            {
                Console.Error.WriteLine($"no sweep with id '{parse.GetValue(id)}' in cluster {address.ClusterId}");
                return ExitCodes.BadInput;
            }

            var elapsed = ((status.CompletedAt ?? DateTimeOffset.UtcNow) - status.StartedAt).TotalSeconds;
            Console.WriteLine(parse.GetValue(json)
                ? ConsoleJson.Serialize(SweepReport.From(status, null, elapsed))
                : $"{status.Name} ({status.Id}): {status.State.ToString().ToLowerInvariant()}, {status.Finished} of {status.TotalRuns} runs finished");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Cancel()
    {
        var id = new Argument<string>("id") { Description = "The sweep id that submit printed" };
        var where = new ClusterOptions();
        var command = new Command("cancel", "Stop a sweep: no more runs start, running ones are asked to stop; finished runs are kept") { id };
        where.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (where.Read(parse) is not { } address)
            {
                return ExitCodes.BadInput;
            }

            await using var connection = await ClusterClient.ConnectAsync(address, cancellationToken);
            var sweep = connection.Client.GetGrain<ISweepGrain>(parse.GetValue(id)!);
            if ((await sweep.GetStatus()).TotalRuns == 0)
            {
                Console.Error.WriteLine($"no sweep with id '{parse.GetValue(id)}' in cluster {address.ClusterId}");
                return ExitCodes.BadInput;
            }

            var status = await sweep.Cancel();
            Console.WriteLine($"{status.Id}: {status.State.ToString().ToLowerInvariant()}, {status.Finished} of {status.TotalRuns} runs finished (submit the spec again to resume)");
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Watch()
    {
        var id = new Argument<string>("id") { Description = "The sweep id that submit printed" };
        var where = new ClusterOptions();
        var command = new Command("watch", "Follow a sweep's progress until it ends") { id };
        where.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (where.Read(parse) is not { } address)
            {
                return ExitCodes.BadInput;
            }

            await using var connection = await ClusterClient.ConnectAsync(address, cancellationToken);
            var sweep = connection.Client.GetGrain<ISweepGrain>(parse.GetValue(id)!);
            // While a silo dies the sweep's grain can be unreachable for a while (until the cluster
            // declares the silo dead and the grain resumes elsewhere): keep asking.
            async Task<SweepStatus> Poll()
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

            if ((await Poll()).TotalRuns == 0)
            {
                Console.Error.WriteLine($"no sweep with id '{parse.GetValue(id)}' in cluster {address.ClusterId}");
                return ExitCodes.BadInput;
            }

            var status = await ProgressView.FollowAsync(Poll, cancellationToken);
            return status.IsDone ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
