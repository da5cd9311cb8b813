using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Sweeps.Cli.Output;
using Sweeps.Core.Schedules;
using Sweeps.Laws.Mpl;

namespace Sweeps.Cli.Commands.Law;

/// <summary>
/// <c>sweeps law optimize-schedule --law mpl --params P.json --total-steps T --peak-lr X --warmup-steps W</c>:
/// the non-increasing schedule the law predicts to end lowest, written as a <c>table</c> schedule
/// CSV, with the predicted final loss of cosine, WSD and linear at the same peak LR beside it.
/// </summary>
internal static class OptimizeScheduleCommand
{
    public static Command Create()
    {
        var law = new Option<string>("--law") { Description = "The law (mpl)", DefaultValueFactory = _ => MultiPowerLaw.Name };
        var parameters = new Option<string>("--params") { Description = "The law's parameters: a fit from `sweeps law fit --out`, or {\"params\": {...}}", Required = true };
        var totalSteps = new Option<int>("--total-steps") { Description = "Training steps, warmup included", Required = true };
        var peakLr = new Option<double>("--peak-lr") { Description = "Peak learning rate", Required = true };
        var warmupSteps = new Option<int>("--warmup-steps") { Description = "Linear warmup steps", DefaultValueFactory = _ => 0 };
        var output = new Option<string>("--out") { Description = "Where to write the schedule CSV (step,lr)", DefaultValueFactory = _ => "optimal-schedule.csv" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout" };
        var command = new Command("optimize-schedule", "Find the schedule a fitted law predicts to end at the lowest loss")
        {
            law, parameters, totalSteps, peakLr, warmupSteps, output, json,
        };
        command.SetAction(parse => Run(parse.GetValue(law)!, parse.GetValue(parameters)!, parse.GetValue(totalSteps),
            parse.GetValue(peakLr), parse.GetValue(warmupSteps), parse.GetValue(output)!, parse.GetValue(json)));
        return command;
    }

    private static int Run(string law, string parametersPath, int totalSteps, double peakLr, int warmupSteps, string output, bool json)
    {
        if (law != MultiPowerLaw.Name)
        {
            Console.Error.WriteLine($"--law: only {MultiPowerLaw.Name} can optimise schedules so far, got '{law}'");
            return ExitCodes.BadInput;
        }

        var problems = ScheduleValidator.Validate(new ScheduleSpec { Kind = ScheduleKind.Constant, PeakLr = peakLr, WarmupSteps = warmupSteps, TotalSteps = totalSteps });
        if (problems.Count > 0 || warmupSteps + 2 > totalSteps)
        {
            foreach (var problem in problems)
            {
                Console.Error.WriteLine("--" + problem.Format().Replace('_', '-'));
            }

            if (problems.Count == 0)
            {
                Console.Error.WriteLine($"--total-steps: {totalSteps} leaves no post-warmup steps to optimise after {warmupSteps} warmup steps");
            }

            return ExitCodes.BadInput;
        }

        MultiPowerLawParameters p;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(parametersPath));
            var values = document.RootElement.GetProperty("params").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetDouble());
            p = MultiPowerLawParameters.FromDictionary(values);
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            Console.Error.WriteLine($"{parametersPath}: expected {{\"params\": {{L0, A, alpha, B, C, beta, gamma}}}}: {e.Message}");
            return ExitCodes.BadInput;
        }

        var result = MplScheduleOptimizer.Optimize(p, totalSteps, peakLr, warmupSteps);
        WriteCsv(output, result.LearningRates);
        ScheduleSpec Baseline(ScheduleSpec shape) => shape with { PeakLr = peakLr, WarmupSteps = warmupSteps, TotalSteps = totalSteps };
        var baselines = new Dictionary<string, ScheduleSpec>
        {
            ["cosine"] = Baseline(new ScheduleSpec { Kind = ScheduleKind.Cosine, FinalLrRatio = 0.1 }),
            ["wsd"] = Baseline(new ScheduleSpec { Kind = ScheduleKind.Wsd, DecayFraction = 0.2, DecayShape = DecayShape.Linear, FinalLrRatio = 0.0 }),
            ["linear"] = Baseline(new ScheduleSpec { Kind = ScheduleKind.Linear, FinalLrRatio = 0.0 }),
        };
        var predicted = new Dictionary<string, double> { ["optimal"] = result.PredictedFinalLoss };
        foreach (var (name, spec) in baselines)
        {
            predicted[name] = ScheduleValidator.Validate(spec).Count == 0 ? MplFinalLoss.Value(p, Schedule.Evaluate(spec)) : double.NaN;
        }

        var report = new
        {
            law,
            total_steps = totalSteps,
            peak_lr = peakLr,
            warmup_steps = warmupSteps,
            predicted_final_loss = predicted,
            schedule_csv = Path.GetFullPath(output),
            decay_start = result.DecayStart(warmupSteps),
            final_lr_ratio = result.FinalLrRatio(warmupSteps),
            iterations = result.Iterations,
            converged = result.Converged,
            elapsed_seconds = result.ElapsedSeconds,
        };
        Console.WriteLine(json
            ? ConsoleJson.Serialize(report)
            : $"optimal schedule: predicted final loss {result.PredictedFinalLoss:F5}; decay from step {report.decay_start} to {report.final_lr_ratio:P2} of peak; written to {output}" +
              Environment.NewLine + string.Join(Environment.NewLine, predicted.Skip(1).Select(b => $"  {b.Key}: {b.Value:F5} (+{b.Value - result.PredictedFinalLoss:F5})")));
        return ExitCodes.Success;
    }

    private static void WriteCsv(string path, double[] lr)
    {
        var csv = new StringBuilder("step,lr\n");
        for (var s = 0; s < lr.Length; s++)
        {
            csv.Append(s.ToString(CultureInfo.InvariantCulture)).Append(',').Append(lr[s].ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }

        File.WriteAllText(path, csv.ToString());
    }
}
