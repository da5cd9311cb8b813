using System.CommandLine;

namespace Sweeps.Cli.Commands;

/// <summary>The <c>sweeps</c> command tree. Usage errors exit with code 2, like any bad input.</summary>
public static class SweepsCommandLine
{
    public static async Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand("Sweeps: learning-rate and scaling-law sweeps on Orleans")
        {
            RunCommand.Create(),
            ValidateCommand.Create(),
            InitCommand.Create(),
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

        return await parse.InvokeAsync();
    }
}
