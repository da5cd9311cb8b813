using System.CommandLine;
using Sweeps.Core.Grid;

namespace Sweeps.Cli.Commands;

/// <summary><c>sweeps validate SPEC</c>: every problem of a spec, or its run count; exit 2 when invalid.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "The sweep spec (YAML)" };
        var maxRuns = new Option<long?>("--max-runs") { Description = "Refuse grids larger than this (default: the spec's max_runs, else 1,000,000)" };
        var command = new Command("validate", "Check a sweep spec without running it") { spec, maxRuns };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(spec)!;
            var loaded = SpecFile.Load(path, parse.GetValue(maxRuns), Console.Error);
            if (loaded is null)
            {
                return ExitCodes.BadInput;
            }

            Console.WriteLine($"{path}: valid; {new SweepGrid(loaded).Count:N0} runs of simulator {loaded.Simulator}");
            return ExitCodes.Success;
        });
        return command;
    }
}
