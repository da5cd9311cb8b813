using System.CommandLine;

namespace Sweeps.Cli.Commands;

/// <summary>The <c>sweeps</c> command tree. Usage errors exit with code 2, like any bad input.</summary>
public static class SweepsCommandLine
{
    public static readonly TimeSpan ShutdownAllowance = TimeSpan.FromSeconds(20);

    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand("Sweeps: learning-rate and scaling-law sweeps on Orleans")
        {
            RunCommand.Create(),
            ValidateCommand.Create(),
            InitCommand.Create(),
            Law.LawCommand.Create(),
            Bench.BenchCommand.Create(),
            Cluster.SiloCommand.Create(),
            Cluster.ClientCommands.Submit(),
            Cluster.StatusCommand.Create(),
            Cluster.ClientCommands.Watch(),
            Cluster.ClientCommands.Cancel(),
            Cluster.FitCommand.Create(),
            Cluster.PredictCommand.Create(),
            Cluster.ExportCommand.Create(),
            IngestCommand.Create(),
            Train.TrainBigramCommand.Create(),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await Console.Error.WriteLineAsync($"sweeps: {error.Message}");
            }

            await Console.Error.WriteLineAsync("Run 'sweeps --help' for usage.");
            return ExitCodes.BadInput;
        }

        // Ctrl+C / SIGTERM cancel the command's token; the embedded silo then needs a few seconds to
        // stop gracefully (it flushes sweep progress), so allow more than the default 2 s.
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = ShutdownAllowance });
    }
}
