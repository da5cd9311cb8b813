using System.Globalization;
using System.Text.RegularExpressions;
using Sweeps.Core.Grid;

namespace Sweeps.Core.ExternalRuns;

/// <summary>
/// Fills a command's <c>{placeholders}</c> for one run: the grid point (<c>{peak_lr}</c>,
/// <c>{warmup_steps}</c>, <c>{total_steps}</c>, <c>{model_size}</c>, <c>{schedule}</c>, <c>{seed}</c>),
/// any option by name, <c>{run_id}</c>, <c>{sweep_id}</c>, and <c>{schedule_csv}</c>, the file with the
/// run's exact LR per step, and <c>{sweeps}</c>, the <c>sweeps</c> executable running the silo (for
/// <c>sweeps train</c>). Numbers are written in the invariant culture, round-trippable.
/// <c>{{</c> and <c>}}</c> are literal braces.
/// </summary>
public static partial class CommandLine
{
    public const string ScheduleCsv = "schedule_csv";

    public static readonly IReadOnlyList<string> RunPlaceholders =
        ["peak_lr", "warmup_steps", "total_steps", "model_size", "schedule", "seed", "run_id", "sweep_id", ScheduleCsv, "sweeps"];

    /// <summary>The <c>sweeps</c> executable beside the running program (its apphost).</summary>
    public static string SweepsExecutable => Path.Combine(AppContext.BaseDirectory, "sweeps");

    /// <summary>The placeholders an argument names (escaped braces excluded).</summary>
    public static IEnumerable<string> PlaceholdersIn(string argument) =>
        Placeholder().Matches(argument).Where(m => m.Groups[1].Success).Select(m => m.Groups[1].Value);

    public static IReadOnlyList<string> Expand(CommandSpec command, RunDefinition run, string sweepId, string scheduleCsvPath) =>
        command.Arguments.Select(argument => Placeholder().Replace(argument, m => m.Value switch
        {
            "{{" => "{",
            "}}" => "}",
            _ => ValueOf(m.Groups[1].Value, run, sweepId, scheduleCsvPath),
        })).ToList();

    private static string ValueOf(string name, RunDefinition run, string sweepId, string scheduleCsvPath) => name switch
    {
        "peak_lr" => Number(run.PeakLr),
        "warmup_steps" => run.WarmupSteps.ToString(CultureInfo.InvariantCulture),
        "total_steps" => run.TotalSteps.ToString(CultureInfo.InvariantCulture),
        "model_size" => Number(run.ModelSize),
        "schedule" => run.ScheduleName,
        "seed" => run.Seed.ToString(CultureInfo.InvariantCulture),
        "run_id" => run.RunId,
        "sweep_id" => sweepId,
        ScheduleCsv => scheduleCsvPath,
        "sweeps" => SweepsExecutable,
        _ when run.Options.TryGetValue(name, out var value) => Number(value),
        _ => throw new ArgumentException($"unknown placeholder {{{name}}}"), // the spec parser refuses these first
    };

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Placeholder();
}
