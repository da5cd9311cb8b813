using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sweeps.Cli.Output;
using Sweeps.Cli.Results;
using Sweeps.Laws.Scaling;
using Sweeps.Laws.ScheduleSearch;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands.Cluster;

/// <summary>
/// <c>predict ID --model-size N --total-steps T [--schedule-kind K…] [--warmup-steps W] [--schedule-out FILE] [--json]</c>:
/// the recommended configuration at a scale the sweep did not train (<see cref="ScalePredictor"/>),
/// fitted here from the sweep's finished runs and curves. Writes the law-optimal schedule as a CSV
/// (step,lr). JSON: the <see cref="ScalePrediction"/> in snake case with <c>id</c> and
/// <c>optimal_schedule_csv</c> added.
/// </summary>
internal static class PredictCommand
{
    /// <summary>Most run curves read for the loss law (the fit uses those near each scale's optimum).</summary>
    private const int MaxCurves = 20_000;

    public static Command Create()
    {
        var modelSize = new Option<double>("--model-size") { Description = "Parameters of the model to predict for", Required = true };
        var totalSteps = new Option<int>("--total-steps") { Description = "Steps it will train for", Required = true };
        var kinds = new Option<string[]>("--schedule-kind")
        {
            Description = $"Schedules to predict the final loss of ({string.Join(", ", BaselineSchedules.Shapes.Keys)}, optimal); default: all",
            AllowMultipleArgumentsPerToken = true,
        };
        var warmup = new Option<int?>("--warmup-steps") { Description = "Warmup to use (default: the best warmup at the largest swept scale)" };
        var scheduleOut = new Option<string?>("--schedule-out") { Description = "Where to write the law-optimal schedule (default: optimal-schedule-N-T.csv)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout" };
        return SweepCommand.Create("predict", "The peak LR, warmup, schedule and loss to expect at a new model size and horizon",
            [modelSize, totalSteps, kinds, warmup, scheduleOut, json], async (sweep, status, parse, client, _) =>
        {
            var clock = Stopwatch.StartNew();
            var (n, t, w) = (parse.GetValue(modelSize), parse.GetValue(totalSteps), parse.GetValue(warmup));
            var asked = parse.GetValue(kinds) is { Length: > 0 } k ? k.Distinct().ToList() : null;
            var problems = new List<string>();
            if (!(n > 0) || !double.IsFinite(n))
            {
                problems.Add($"--model-size: must be a positive number of parameters, got {n}");
            }

            if (t < 2)
            {
                problems.Add($"--total-steps: must be at least 2, got {t}");
            }

            if (w is < 0 || w >= t)
            {
                problems.Add($"--warmup-steps: must be in [0, total steps), got {w}");
            }

            if (asked?.FirstOrDefault(a => a != "optimal" && !BaselineSchedules.Shapes.ContainsKey(a)) is { } unknown)
            {
                problems.Add($"--schedule-kind: unknown '{unknown}' (one of {string.Join(", ", BaselineSchedules.Shapes.Keys)}, optimal)");
            }

            if (problems.Count > 0)
            {
                problems.ForEach(Console.Error.WriteLine);
                return ExitCodes.BadInput;
            }

            var results = new SweepResults(client, status.Id, (await sweep.GetSpec())!);
            var (points, curves) = await results.FitInputsAsync(withCurves: true, MaxCurves);
            if (points.Count == 0)
            {
                Console.Error.WriteLine($"sweep {status.Id} has no finished run with a final loss to predict from");
                return ExitCodes.BadInput;
            }

            await Console.Error.WriteLineAsync($"[sweeps] fitting on {points.Count} runs and {curves.Count} curves");
            var prediction = ScalePredictor.Predict(points, curves, await results.DivergedAsync(), n, t, w, asked);
            string? csv = null;
            if (prediction.OptimalSchedule is { } lr)
            {
                csv = Path.GetFullPath(parse.GetValue(scheduleOut) ?? string.Create(CultureInfo.InvariantCulture, $"optimal-schedule-{n:G3}-{t}.csv"));
                ScheduleCsv.Write(csv, lr);
            }

            Console.WriteLine(parse.GetValue(json) ? Json(status.Id, prediction, csv, clock) : Describe(prediction, csv));
            return ExitCodes.Success;
        });
    }

    private static string Json(string id, ScalePrediction prediction, string? csv, Stopwatch clock)
    {
        var node = JsonSerializer.SerializeToNode(prediction, ConsoleJson.Options)!.AsObject();
        node.Insert(0, "id", id);
        node["optimal_schedule_csv"] = csv;
        node["elapsed_seconds"] = clock.Elapsed.TotalSeconds;
        return node.ToJsonString(ConsoleJson.Options);
    }

    private static string Describe(ScalePrediction p, string? csv)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"model size {p.ModelSize:G4}, {p.TotalSteps} steps"),
            string.Create(CultureInfo.InvariantCulture, $"  peak LR {p.OptimalPeakLr:G3} [{p.OptimalPeakLrInterval[0]:G3}, {p.OptimalPeakLrInterval[1]:G3}], warmup {p.WarmupSteps} steps"),
        };
        lines.AddRange(p.PeakLrAnswers.Select(a => FormattableString.Invariant($"    {a.Method,-13} {a.PeakLr:G3}") +
            (double.IsFinite(a.Interval[0]) ? FormattableString.Invariant($" [{a.Interval[0]:G3}, {a.Interval[1]:G3}]") : "")));
        lines.AddRange(p.PredictedFinalLoss.Select(l => FormattableString.Invariant($"  final loss, {l.Key,-8} {l.Value:F4}") +
            (p.OptimalPeakLrBySchedule.TryGetValue(l.Key, out var best) ? FormattableString.Invariant($"   (this schedule's own best peak LR: {best:G3})") : "")));
        if (double.IsFinite(p.ChinchillaFinalLoss))
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  chinchilla's best final loss at this scale: {p.ChinchillaFinalLoss:F4}"));
        }

        lines.Add($"  divergence risk: {p.DivergenceRisk.Level} ({p.DivergenceRisk.Explanation})");
        if (p.Coefficients.TryGetValue("mpl_at_target", out var mpl))
        {
            lines.Add("  MPL at this scale: " + string.Join(", ", mpl.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value:G4}"))));
        }

        if (csv is not null)
        {
            lines.Add($"  optimal schedule written to {csv}");
        }

        lines.AddRange(p.Warnings.Select(w => "warning: " + w));
        return string.Join(Environment.NewLine, lines);
    }
}
