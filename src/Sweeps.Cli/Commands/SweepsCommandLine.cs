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
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = ShutdownAllowance, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return await UnhandledAsync(parse.CommandResult.Command.Name, e);
        }
    }

    /// <summary>
    /// What escaped a command becomes one line, never a stack trace: a path that cannot be used
    /// (a file where a directory must be, no permission, a device) is bad input, exit 2; a silo that
    /// refused a submit (its rate limit) is a failure to retry later, exit 1; anything else is a
    /// failure, exit 1, its trace printed only when SWEEPS_TRACE=1 is set, for a bug report.
    /// </summary>
    private static async Task<int> UnhandledAsync(string command, Exception e)
    {
        var root = e is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : e;
        if (root is Contracts.SubmitRefusedException refused)
        {
            await Console.Error.WriteLineAsync($"sweeps {command}: refused: {refused.Message}");
            return ExitCodes.Failure;
        }

        var badInput = root is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException;
        var what = badInput ? root.Message : $"failed: {root.GetType().Name}: {root.Message}";
        await Console.Error.WriteLineAsync($"sweeps {command}: {what}");
        if (Environment.GetEnvironmentVariable("SWEEPS_TRACE") == "1")
        {
            await Console.Error.WriteLineAsync(root.ToString());
        }
        else if (!badInput)
        {
            await Console.Error.WriteLineAsync("(set SWEEPS_TRACE=1 to print the stack trace for a bug report)");
        }

        return badInput ? ExitCodes.BadInput : ExitCodes.Failure;
    }
}
