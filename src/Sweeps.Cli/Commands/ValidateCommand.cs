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

            var grid = new SweepGrid(loaded);
            Console.WriteLine($"{path}: valid; {grid.Count:N0} runs of simulator {loaded.Simulator}{Adaptive(loaded, grid)}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>What the sweep will do on its own: which rule stops runs, how many runs refinement may add.</summary>
    private static string Adaptive(Core.Specs.SweepSpec spec, SweepGrid grid)
    {
        var parts = new List<string>();
        if (spec.Stopping is { } stop)
        {
            parts.Add($"runs stopped early by rule {stop.Rule.ToString().ToLowerInvariant()}"
                + (stop.FitFile is { } fit ? $" ({stop.Law} predicted from {fit} from each run's first checkpoint)" : ""));
        }

        if (spec.Adaptive?.Refine is { } refine)
        {
            parts.Add($"up to {refine.MaxAddedRuns ?? grid.GridCount:N0} runs added where the optimal peak LR is not resolved");
        }

        return parts.Count == 0 ? "" : "; " + string.Join(", ", parts);
    }
}
