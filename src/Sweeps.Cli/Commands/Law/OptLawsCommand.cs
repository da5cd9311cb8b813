using System.CommandLine;
using Sweeps.Cli.Output;
using Sweeps.Laws.OptLaws;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands.Law;

/// <summary>
/// <c>sweeps law opt-laws --model-size N --total-steps S --peak-lr X --warmup-steps W [--cooldown-start C] [--cosine]</c>:
/// the published Opt-Laws' predicted final loss and divergence ratio R for one run, with a warning for
/// every input outside the range the law was fitted on (<see cref="OptLawsDomain"/>).
/// </summary>
internal static class OptLawsCommand
{
    public static Command Create()
    {
        var modelSize = new Option<double>("--model-size") { Description = "Total learnable parameters (e.g. 4.05e9)", Required = true };
        var totalSteps = new Option<double>("--total-steps") { Description = "Training steps", Required = true };
        var peakLr = new Option<double>("--peak-lr") { Description = "Peak learning rate", Required = true };
        var warmupSteps = new Option<double>("--warmup-steps") { Description = "Linear warmup steps", Required = true };
        var cooldownStart = new Option<double?>("--cooldown-start") { Description = "Hold the peak until this step, then cool down linearly (WSD); default: cool down right after warmup" };
        var cosine = new Option<bool>("--cosine") { Description = "Half-cosine cooldown instead of linear" };
        var tokensPerStep = new Option<double>("--tokens-per-step") { Description = "Tokens per step (the published fit: 2048 × 2048)", DefaultValueFactory = _ => 2048.0 * 2048.0 };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout" };
        var command = new Command("opt-laws", "Predict a run's final loss and divergence with the published Opt-Laws")
        {
            modelSize, totalSteps, peakLr, warmupSteps, cooldownStart, cosine, tokensPerStep, json,
        };
        command.SetAction(parse =>
        {
            var warmup = parse.GetValue(warmupSteps);
            var start = parse.GetValue(cooldownStart) ?? warmup;
            var schedule = new OptLawsSchedule(parse.GetValue(peakLr), parse.GetValue(peakLr), warmup, warmup, start, parse.GetValue(totalSteps), parse.GetValue(cosine));
            var problems = schedule.Problems().ToList();
            if (!(parse.GetValue(modelSize) > 0) || !(parse.GetValue(tokensPerStep) > 0))
            {
                problems.Add("--model-size and --tokens-per-step must be > 0");
            }

            if (parse.GetValue(cosine) && start != warmup)
            {
                problems.Add("--cosine goes with a cooldown right after warmup (no --cooldown-start)");
            }

            if (problems.Count > 0)
            {
                Console.Error.WriteLine($"sweeps law opt-laws: {string.Join("; ", problems)}");
                return ExitCodes.BadInput;
            }

            var law = new OptLaw(OptLaw.PublishedCoefficients, new OptLawsUnits(parse.GetValue(tokensPerStep)));
            var run = new OptLawsRun(parse.GetValue(modelSize), schedule);
            var warnings = OptLawsDomain.Warnings(run, law.Units);
            foreach (var warning in warnings)
            {
                Console.Error.WriteLine($"warning: {warning}");
            }

            var report = new
            {
                law = OptLaw.LawName,
                predicted_final_loss = law.PredictLoss(run),
                divergence_ratio = law.Divergence(run),
                diverges = law.Diverges(run),
                tokens = law.Units.Tokens(schedule.TotalSteps) * 1e9,
                warnings,
            };
            Console.WriteLine(parse.GetValue(json)
                ? ConsoleJson.Serialize(report)
                : report.diverges
                    ? $"predicted to diverge (R = {report.divergence_ratio:G4} > 1)"
                    : $"predicted final loss {report.predicted_final_loss:F4} (R = {report.divergence_ratio:G4}, stable)");
            return ExitCodes.Success;
        });
        return command;
    }
}
