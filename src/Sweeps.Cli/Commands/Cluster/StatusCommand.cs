using System.CommandLine;
using System.Globalization;
using Sweeps.Cli.Cluster;
using Sweeps.Cli.Output;
using Sweeps.Contracts;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands.Cluster;

/// <summary>
/// <c>status [ID] [--json]</c>: one sweep's progress and fits, or, without an id, a line for every
/// sweep of the cluster (<c>--json</c>: an array of the same documents).
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var id = new Argument<string?>("id") { Description = "The sweep id that submit printed (all sweeps when left out)", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print JSON: {\"id\", \"state\", \"total_runs\", \"counts\", \"duplicate_results\", \"fits\", ...}" };
        var where = new ClusterOptions { ReadsOnly = true };
        var command = new Command("status", "A sweep's progress and fits, or every sweep of the cluster") { id, json };
        where.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (connection, exitCode) = await where.ConnectAsync(parse, cancellationToken);
            if (connection is null)
            {
                return exitCode;
            }

            await using var _ = connection;

            if (parse.GetValue(id) is { } sweepId)
            {
                var status = await SweepCommandBuilder.StatusOf(connection.Client.GetGrain<ISweepGrain>(sweepId), cancellationToken);
                if (status.TotalRuns == 0)
                {
                    Console.Error.WriteLine($"no sweep with id '{sweepId}' in {connection.Address}");
                    return ExitCodes.BadInput;
                }

                Console.WriteLine(parse.GetValue(json) ? ConsoleJson.Serialize(SweepReport.Of(status)) : Line(status));
                return ExitCodes.Success;
            }

            var entries = await connection.Client.GetGrain<ISweepDirectoryGrain>(ISweepDirectoryGrain.Key).List();
            var statuses = new List<SweepStatus>();
            foreach (var entry in entries)
            {
                statuses.Add(await SweepCommandBuilder.StatusOf(connection.Client.GetGrain<ISweepGrain>(entry.Id), cancellationToken));
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(ConsoleJson.Serialize(statuses.Select(SweepReport.Of).ToList()));
            }
            else if (statuses.Count == 0)
            {
                Console.Error.WriteLine($"no sweeps in {connection.Address}");
            }
            else
            {
                statuses.ForEach(s => Console.WriteLine(Line(s)));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Line(SweepStatus status) => string.Create(CultureInfo.InvariantCulture,
        $"{status.Id}  {status.Name}: {status.State.ToString().ToLowerInvariant()}, {status.Finished} of {status.TotalRuns} runs finished, started {status.StartedAt:u}{ResumeHint(status)}");

    private static string ResumeHint(SweepStatus status) =>
        status.State == SweepState.Interrupted ? " (its process stopped: sweeps run SPEC --data-dir DIR with the same spec resumes it)" : "";
}
