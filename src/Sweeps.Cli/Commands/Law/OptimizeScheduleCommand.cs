using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Sweeps.Cli.Output;
using Sweeps.Laws.Curves;
using Sweeps.Laws.OptLaws;
using Sweeps.Laws.ScheduleSearch;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands.Law;

/// <summary>
/// <c>sweeps law optimize-schedule --law mpl|convex|opt-laws --params P.json --total-steps T --peak-lr X --warmup-steps W</c>:
/// the non-increasing schedule the law predicts to end lowest, written as a <c>table</c> schedule
/// CSV, with the predicted final loss of cosine, WSD and linear at the same peak LR beside it.
/// </summary>
internal static class OptimizeScheduleCommand
{
    public static Command Create()
    {
        var law = new Option<string>("--law") { Description = $"The law: {string.Join(", ", ScheduleTarget.Laws)}", DefaultValueFactory = _ => MultiPowerLaw.LawName };
        var parameters = new Option<string?>("--params")
        {
            Description = "The law's parameters: a fit from `sweeps law fit --out`, or {\"params\": {...}}; for opt-laws {\"coefficients\": [16]} (default: the published ones)",
        };
        var totalSteps = new Option<int>("--total-steps") { Description = "Training steps, warmup included", Required = true };
        var peakLr = new Option<double>("--peak-lr") { Description = "Peak learning rate", Required = true };
        var warmupSteps = new Option<int>("--warmup-steps") { Description = "Linear warmup steps", DefaultValueFactory = _ => 0 };
        var modelSize = new Option<double?>("--model-size") { Description = "Total parameters (opt-laws only)" };
        var tokensPerStep = new Option<double>("--tokens-per-step") { Description = "Tokens per step (opt-laws only)", DefaultValueFactory = _ => 2048.0 * 2048.0 };
        var output = new Option<string>("--out") { Description = "Where to write the schedule CSV (step,lr)", DefaultValueFactory = _ => "optimal-schedule.csv" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout" };
        var command = new Command("optimize-schedule", "Find the schedule a fitted law predicts to end at the lowest loss")
        {
            law, parameters, totalSteps, peakLr, warmupSteps, modelSize, tokensPerStep, output, json,
        };
        command.SetAction(parse =>
        {
            var clock = Stopwatch.StartNew();
            var problem = new ScheduleProblem(parse.GetValue(totalSteps), parse.GetValue(peakLr), parse.GetValue(warmupSteps));
            var target = Target(parse.GetValue(law)!, parse.GetValue(parameters), parse.GetValue(modelSize), parse.GetValue(tokensPerStep), problem);
            if (target is null)
            {
                return ExitCodes.BadInput;
            }

            // Target has read the file: it exists and is JSON.
            var fitMethod = parse.GetValue(parameters) is { } path ? ScheduleTarget.ReadFitMethod(path) : null;
            return Run(parse.GetValue(law)!, fitMethod, target, problem, parse.GetValue(output)!, parse.GetValue(json), clock);
        });
        return command;
    }

    /// <summary>The law's target, or null after writing why to stderr.</summary>
    private static ScheduleTarget? Target(string law, string? parametersPath, double? modelSize, double tokensPerStep, ScheduleProblem problem)
    {
        var problems = problem.Problems().Select(p => "--" + p.Replace('_', '-')).ToList();
        if (!ScheduleTarget.Laws.Contains(law))
        {
            problems.Add($"--law: expected one of {string.Join(", ", ScheduleTarget.Laws)}, got '{law}'");
        }
        else if (law == OptLaw.LawName && !(modelSize > 0))
        {
            problems.Add("--model-size: the Opt-Laws need the model size (total parameters, > 0)");
        }
        else if (law != OptLaw.LawName && parametersPath is null)
        {
            problems.Add($"--params: {law} needs fitted parameters ({{\"params\": {{...}}}}, as `sweeps law fit --out` writes)");
        }

        if (problems.Count > 0)
        {
            problems.ForEach(Console.Error.WriteLine);
            return null;
        }

        try
        {
            return law switch
            {
                MultiPowerLaw.LawName => ScheduleTarget.Mpl(ScheduleTarget.ReadParameters(parametersPath!)),
                ConvexBoundLaw.LawName => ScheduleTarget.Convex(ScheduleTarget.ReadParameters(parametersPath!)),
                _ => ScheduleTarget.OptLaws(
                    parametersPath is null
                        ? new OptLaw(OptLaw.PublishedCoefficients, new OptLawsUnits(tokensPerStep))
                        : ScheduleTarget.ReadOptLaw(parametersPath, new OptLawsUnits(tokensPerStep)),
                    modelSize!.Value),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"{parametersPath}: not the parameters of {law}: {e.Message}");
            return null;
        }
    }

    private static int Run(string law, string? fitMethod, ScheduleTarget target, ScheduleProblem problem, string output, bool json, Stopwatch clock)
    {
        ScheduleOptimization result;
        try
        {
            result = target.Optimize(problem);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("--" + e.Message.Replace('_', '-'));
            return ExitCodes.BadInput;
        }

        if (!result.Converged && result.Warnings.Count == 0)
        {
            // A schedule from an optimiser that ran out of iterations is still the best it found; say so.
            result = result with { Warnings = [$"the {result.Method} optimiser stopped after {result.Iterations} iterations before converging; the schedule is the best it found, and more iterations may lower the loss"] };
        }

        ScheduleCsv.Write(output, result.LearningRates);
        var predicted = new Dictionary<string, double> { ["optimal"] = result.PredictedFinalLoss };
        foreach (var (name, loss) in target.Baselines(problem))
        {
            predicted[name] = loss;
        }

        var report = new Dictionary<string, object?>
        {
            ["law"] = law,
            ["fit_method"] = fitMethod,
            ["total_steps"] = problem.TotalSteps,
            ["peak_lr"] = problem.PeakLr,
            ["warmup_steps"] = problem.WarmupSteps,
            ["predicted_final_loss"] = predicted,
            ["schedule_csv"] = Path.GetFullPath(output),
            ["decay_start"] = result.DecayStart(problem.WarmupSteps),
            ["final_lr_ratio"] = result.FinalLrRatio(problem.WarmupSteps),
            ["method"] = result.Method,
            ["stages"] = result.Stages,
            ["iterations"] = result.Iterations,
            ["evaluations"] = result.Evaluations,
            ["converged"] = result.Converged,
            ["warnings"] = result.Warnings,
        };
        foreach (var (key, value) in target.Extras(problem, result))
        {
            report[key] = value;
        }

        report["elapsed_seconds"] = clock.Elapsed.TotalSeconds;
        foreach (var warning in result.Warnings)
        {
            Console.Error.WriteLine($"warning: {warning}");
        }

        Console.WriteLine(json
            ? ConsoleJson.Serialize(report)
            : $"optimal schedule{(fitMethod is null ? "" : $" for the {law} fit by {fitMethod}")}: predicted final loss {result.PredictedFinalLoss:F5}; decay from step {report["decay_start"]} to {report["final_lr_ratio"]:P2} of peak; written to {output}" +
              Environment.NewLine + string.Join(Environment.NewLine, predicted.Skip(1).Select(b => $"  {b.Key}: {b.Value:F5} (+{b.Value - result.PredictedFinalLoss:F5})")));
        return ExitCodes.Success;
    }
}
