using System.CommandLine;
using Sweeps.Cli.Cluster;
using Sweeps.Contracts;

namespace Sweeps.Cli.Commands.Cluster;

/// <summary>
/// The shape of a command about one sweep: <c>NAME ID</c> with the cluster options. It connects,
/// checks that the sweep exists (exit 2 if not), and hands the sweep and its status to the action.
/// </summary>
internal static class SweepCommandBuilder
{
    public delegate Task<int> Action(ISweepGrain sweep, SweepStatus status, ParseResult parse, IClusterClient client, CancellationToken cancellationToken);

    /// <param name="readsOnly">The command only reads: a data directory's interrupted sweep is not resumed.</param>
    public static Command Create(string name, string description, Option[] options, Action action, bool readsOnly = false)
    {
        var id = new Argument<string>("id") { Description = "The sweep id that submit printed" };
        var where = new ClusterOptions { ReadsOnly = readsOnly };
        var command = new Command(name, description) { id };
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        where.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, parse.GetValue(id)!, where, action, cancellationToken));
        return command;
    }

    /// <summary>Connects as <paramref name="where"/> says, finds sweep <paramref name="id"/> (exit 2 if none) and runs <paramref name="action"/> on it.</summary>
    public static async Task<int> RunAsync(ParseResult parse, string id, ClusterOptions where, Action action, CancellationToken cancellationToken)
    {
        var (connection, exitCode) = await where.ConnectAsync(parse, cancellationToken);
        if (connection is null)
        {
            return exitCode;
        }

        await using var _ = connection;

        var sweep = connection.Client.GetGrain<ISweepGrain>(id);
        var status = await StatusOf(sweep, cancellationToken);
        if (status.TotalRuns == 0)
        {
            Console.Error.WriteLine($"no sweep with id '{id}' in {connection.Address}");
            return ExitCodes.BadInput;
        }

        return await action(sweep, status, parse, connection.Client, cancellationToken);
    }

    /// <summary>
    /// The sweep's status, asking again while its grain is unreachable: when a silo dies the grain
    /// answers nothing until the cluster declares the silo dead and the grain resumes elsewhere.
    /// </summary>
    public static async Task<SweepStatus> StatusOf(ISweepGrain sweep, CancellationToken cancellationToken)
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
