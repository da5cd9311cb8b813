using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sweeps.Cli.Commands.Law;
using Sweeps.Cli.Output;
using Sweeps.Cli.Results;
using Sweeps.Contracts;
using Sweeps.Laws.Scaling;
using Sweeps.Laws.ScheduleSearch;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands.Cluster;

/// <summary>
/// <c>predict ID|--fit FIT.json --model-size N --total-steps T [--schedule-kind K…] [--warmup-steps W] [--schedule-out FILE] [--json]</c>:
/// the recommended configuration at a scale the sweep did not train (<see cref="ScalePredictor"/>),
/// fitted by the sweep's law-fit grain from its finished runs and curves, or read offline from a multi-scale fit. Writes the law-optimal schedule as a CSV
/// (step,lr). JSON: the <see cref="ScalePrediction"/> in snake case with <c>id</c> and
/// <c>optimal_schedule_csv</c> added.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var modelSize = new Option<double>("--model-size") { Description = "Parameters of the model to predict for", Required = true };
        var totalSteps = new Option<int>("--total-steps") { Description = "Steps it will train for", Required = true };
        var kinds = new Option<string[]>("--schedule-kind")
        {
            Description = $"Schedules to predict the final loss of ({string.Join(", ", BaselineSchedules.Shapes.Keys)}, optimal); default: all",
            AllowMultipleArgumentsPerToken = true,
        };
        var warmup = new Option<int?>("--warmup-steps") { Description = "Warmup to use (default: the best warmup at the largest swept scale; with --fit, the longest warmup of the fitted curves)" };
        var scheduleOut = new Option<string?>("--schedule-out") { Description = "Where to write the law-optimal schedule (default: optimal-schedule-N-T.csv)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout" };
        var fit = new Option<string?>("--fit") { Description = "Predict offline from a multi-scale fit (`sweeps law fit mpl --curves … --out FIT.json` over several model sizes) instead of a sweep" };
        var id = new Argument<string?>("id") { Description = "The sweep id that submit printed (or give --fit)", Arity = ArgumentArity.ZeroOrOne };
        var where = new ClusterOptions { ReadsOnly = true };
        var command = new Command("predict", "The peak LR, warmup, schedule and loss to expect at a new model size and horizon")
        {
            id, modelSize, totalSteps, kinds, warmup, scheduleOut, json, fit,
        };
        where.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var clock = Stopwatch.StartNew();
            var target = Target.Read(parse, modelSize, totalSteps, warmup, kinds);
            var (sweepId, fitPath) = (parse.GetValue(id), parse.GetValue(fit));
            if ((sweepId is null) == (fitPath is null))
            {
                target.Problems.Add(sweepId is null ? "give a sweep id, or --fit FIT.json to predict offline" : "give a sweep id or --fit, not both");
            }

            if (target.Problems.Count > 0)
            {
                target.Problems.ForEach(Console.Error.WriteLine);
                return ExitCodes.BadInput;
            }

            if (fitPath is not null)
            {
                var (law, range, problem) = FitFile.ReadMultiScale(fitPath);
                if (law is null)
                {
                    Console.Error.WriteLine(problem);
                    return ExitCodes.BadInput;
                }

                var offline = ScalePredictor.PredictFromLaw(law, range, target.ModelSize, target.TotalSteps, target.WarmupSteps, target.Schedules);
                return Print(parse, offline, null, scheduleOut, json, clock);
            }

            return await SweepCommandBuilder.RunAsync(parse, sweepId!, where, async (_, status, _, client, cancel) =>
            {
                // The sweep's law-fit grain reads the runs and fits where they live; this process only asks and waits.
                var request = new PredictionRequest(target.ModelSize, target.TotalSteps, target.WarmupSteps, target.Schedules?.ToList());
                var ended = await client.PredictAsync(status.Id, request, stage => Console.Error.WriteLine($"[sweeps] {stage}"), cancel);
                switch (ended)
                {
                    case { Known: false }:
                        Console.Error.WriteLine($"sweeps predict: the silo predicting for sweep {status.Id} stopped before it answered; ask again");
                        return ExitCodes.Failure;
                    case { Error: { } error }:
                        Console.Error.WriteLine($"sweeps predict: {error}");
                        return ExitCodes.Failure;
                    case { Prediction: null }:
                        Console.Error.WriteLine($"sweep {status.Id} has no finished run with a final loss to predict from");
                        return ExitCodes.BadInput;
                    default:
                        return Print(parse, ended.Prediction, status.Id, scheduleOut, json, clock);
                }
            }, cancellationToken);
        });
        return command;
    }

    /// <summary>Writes the optimal schedule's CSV and prints the prediction (text or JSON).</summary>
    private static int Print(ParseResult parse, ScalePrediction prediction, string? id, Option<string?> scheduleOut, Option<bool> json, Stopwatch clock)
    {
        string? csv = null;
        if (prediction.OptimalSchedule is { } lr)
        {
            csv = Path.GetFullPath(parse.GetValue(scheduleOut) ?? string.Create(CultureInfo.InvariantCulture, $"optimal-schedule-{prediction.ModelSize:G3}-{prediction.TotalSteps}.csv"));
            ScheduleCsv.Write(csv, lr);
        }

        Console.WriteLine(parse.GetValue(json) ? Json(id, prediction, csv, clock) : Describe(prediction, csv));
        return ExitCodes.Success;
    }

    /// <summary>The scale asked about, with every problem of the options that say it.</summary>
    private sealed record Target(double ModelSize, int TotalSteps, int? WarmupSteps, IReadOnlyCollection<string>? Schedules, List<string> Problems)
    {
        public static Target Read(ParseResult parse, Option<double> modelSize, Option<int> totalSteps, Option<int?> warmup, Option<string[]> kinds)
        {
            var (n, t, w) = (parse.GetValue(modelSize), parse.GetValue(totalSteps), parse.GetValue(warmup));
            var asked = parse.GetValue(kinds) is { Length: > 0 } k ? k.Distinct().ToList() : null;
            var problems = new List<string>();
            if (!(n > 0) || !double.IsFinite(n))
            {
                problems.Add($"--model-size: must be a positive number of parameters, got {n}");
            }

            if (t < 2 || t > Core.Schedules.ScheduleValidator.MaximumTotalSteps)
            {
                problems.Add($"--total-steps: must be in [2, {Core.Schedules.ScheduleValidator.MaximumTotalSteps:N0}], got {t}");
            }

            if (w is < 0 || w >= t)
            {
                problems.Add($"--warmup-steps: must be in [0, total steps), got {w}");
            }

            if (asked?.FirstOrDefault(a => a != "optimal" && !BaselineSchedules.Shapes.ContainsKey(a)) is { } unknown)
            {
                problems.Add($"--schedule-kind: unknown '{unknown}' (one of {string.Join(", ", BaselineSchedules.Shapes.Keys)}, optimal)");
            }

            return new Target(n, t, w, asked, problems);
        }
    }

    private static string Json(string? id, ScalePrediction prediction, string? csv, Stopwatch clock)
    {
        var node = JsonSerializer.SerializeToNode(prediction, ConsoleJson.Options)!.AsObject();
        if (id is not null)
        {
            node.Insert(0, "id", id);
        }

        node["optimal_schedule_csv"] = csv;
        node["elapsed_seconds"] = clock.Elapsed.TotalSeconds;
        return node.ToJsonString(ConsoleJson.Options);
    }

    /// <summary>A 95% interval as [low, high], or what stands for it when there is none (a prediction from a fit file has no sweep optima to draw it from).</summary>
    private static string IntervalText(double[] interval) =>
        interval is [var low, var high] && double.IsFinite(low) && double.IsFinite(high)
            ? FormattableString.Invariant($"[{low:G3}, {high:G3}]")
            : "(no interval)";

    private static string Describe(ScalePrediction p, string? csv)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"model size {p.ModelSize:G4}, {p.TotalSteps} steps"),
            string.Create(CultureInfo.InvariantCulture, $"  peak LR {p.OptimalPeakLr:G3} {IntervalText(p.OptimalPeakLrInterval)}, warmup {p.WarmupSteps} steps"),
        };
        lines.AddRange(p.PeakLrAnswers.Select(a => FormattableString.Invariant($"    {a.Method,-13} {a.PeakLr:G3}") +
            (double.IsFinite(a.Interval[0]) ? " " + IntervalText(a.Interval) : "")));
        lines.AddRange(p.PredictedFinalLoss.Select(l => FormattableString.Invariant($"  final loss, {l.Key,-8} {l.Value:F4}") +
            (p.OptimalPeakLrBySchedule.TryGetValue(l.Key, out var best) ? FormattableString.Invariant($"   (this schedule's own best peak LR: {best:G3})") : "")));
        if (double.IsFinite(p.ChinchillaFinalLoss))
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  chinchilla's best final loss at this scale: {p.ChinchillaFinalLoss:F4}"));
        }

        if (p.ComputeOptimalFrontier.Count > 0)
        {
            var best = p.ComputeOptimalFrontier[^1];
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  compute-optimal for N·T = {best.SizeTimesData:G3}: N = {best.ModelSize:G3}, {best.Data:G3} steps, loss {best.Loss:F4} (chinchilla)"));
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
