using System.CommandLine;
using System.Globalization;
using Sweeps.Cli.Output;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands.Bench;

/// <summary>
/// <c>sweeps bench predict [--json]</c>: <see cref="PredictValidation"/> on the LLM-pretraining twin:
/// the predicted peak LR against the true optimum and the predicted final loss against the simulated
/// one at 8× the largest swept size and 8× the longest horizon, per schedule.
/// JSON: <c>{"checks": [{"case", "schedule", "predicted_peak_lr", "true_peak_lr", "peak_lr_error", "predicted_loss", "simulated_loss", "loss_error", …}], "prediction": {…}, "elapsed_seconds"}</c>.
/// </summary>
internal static class BenchPredictCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout" };
        var command = new Command("predict", "Predictions at 8x size and horizon against a simulator's ground truth") { json };
        command.SetAction(parse =>
        {
            var (prediction, checks, seconds) = PredictValidation.Run(PredictValidation.MplSurrogate8x);
            Console.WriteLine(parse.GetValue(json)
                ? ConsoleJson.Serialize(new { checks, prediction, elapsedSeconds = seconds })
                : Render(checks, prediction.Warnings, seconds));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Render(IReadOnlyList<PredictValidation.Check> checks, IReadOnlyList<string> warnings, double seconds)
    {
        var lines = new List<string> { "case               schedule  peak LR: predicted [95% interval]          true       error   final loss: predicted  simulated  error" };
        lines.AddRange(checks.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"{c.Case,-18} {c.Schedule,-8}  {c.PredictedPeakLr,9:E3} [{c.PeakLrInterval[0]:E2}, {c.PeakLrInterval[1]:E2}]  {c.TruePeakLr,9:E3}  {c.PeakLrError,7:P1}   {c.PredictedLoss,9:F5}  {c.SimulatedLoss,9:F5}  {c.LossError,7:P2}")));
        lines.AddRange(warnings.Select(w => "warning: " + w));
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{seconds:F1} s"));
        return string.Join(Environment.NewLine, lines);
    }
}
