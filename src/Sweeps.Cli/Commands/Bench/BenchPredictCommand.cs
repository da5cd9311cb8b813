using System.CommandLine;
using System.Globalization;
using Sweeps.Cli.Commands.Law;
using Sweeps.Cli.Output;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands.Bench;

/// <summary>
/// <c>sweeps bench predict [--json]</c>: <see cref="PredictValidation"/> on the LLM-pretraining twin:
/// the predicted peak LR against the true optimum and the predicted final loss against the simulated
/// one at 8× the largest swept size and 8× the longest horizon, per schedule; and
/// <see cref="RealCurveHoldouts"/> on the real 25M curves.
/// JSON: <c>{"checks": [{"case", "schedule", "predicted_peak_lr", "true_peak_lr", "peak_lr_error", "predicted_loss", "simulated_loss", "loss_error", …}],
/// "holdouts": [{"protocol", "held_out", "curve", "train_curves", "predicted_final_loss", "real_final_loss", "final_loss_error", "pred_e"}], "prediction": {…}, "elapsed_seconds"}</c>.
/// </summary>
internal static class BenchPredictCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout" };
        var curves = new Option<string?>("--curves") { Description = "The 25M curve manifest for the held-out predictions (default: shared/data/mpl-25m/curves.yaml found above the working directory)" };
        var command = new Command("predict", "Predictions at 8x size and horizon against a simulator's ground truth, and held-out predictions of the real 25M curves") { json, curves };
        command.SetAction(parse =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            IReadOnlyList<RealCurveHoldouts.Row> holdouts = [];
            if ((parse.GetValue(curves) ?? BenchLawsCommand.FindCurves()) is not { } path)
            {
                Console.Error.WriteLine("[sweeps] shared/data/mpl-25m/curves.yaml not found above the working directory: the real-curve holdouts are skipped (pass --curves)");
            }
            else if (ManifestCurves.Load([path], Console.Error) is { } loaded)
            {
                holdouts = RealCurveHoldouts.Run(loaded);
            }
            else
            {
                return ExitCodes.BadInput;
            }

            var (prediction, checks, _) = PredictValidation.Run(PredictValidation.MplSurrogate8x);
            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(parse.GetValue(json)
                ? ConsoleJson.Serialize(new { checks, holdouts, prediction, elapsedSeconds = seconds })
                : Render(checks, prediction.Warnings, holdouts, seconds));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Render(IReadOnlyList<PredictValidation.Check> checks, IReadOnlyList<string> warnings, IReadOnlyList<RealCurveHoldouts.Row> holdouts, double seconds)
    {
        var lines = new List<string> { "case               schedule  peak LR: predicted [95% interval]          true       error   final loss: predicted  simulated  error" };
        lines.AddRange(checks.Select(c => string.Create(CultureInfo.InvariantCulture,
            $"{c.Case,-18} {c.Schedule,-8}  {c.PredictedPeakLr,9:E3} {(double.IsFinite(c.PeakLrInterval[0]) ? FormattableString.Invariant($"[{c.PeakLrInterval[0]:E2}, {c.PeakLrInterval[1]:E2}]") : "(no interval)"),-22}  {c.TruePeakLr,9:E3}  {c.PeakLrError,7:P1}   {c.PredictedLoss,9:F5}  {c.SimulatedLoss,9:F5}  {c.LossError,7:P2}")));
        lines.AddRange(warnings.Select(w => "warning: " + w));
        if (holdouts.Count > 0)
        {
            lines.Add("");
            lines.Add("25M curves, held out    held-out         curve       train  final loss: predicted  real     error    PredE");
            lines.AddRange(holdouts.Select(h => string.Create(CultureInfo.InvariantCulture,
                $"{h.Protocol,-23} {h.HeldOut,-16} {h.Curve,-18} {h.TrainCurves,3}   {h.PredictedFinalLoss,9:F4}  {h.RealFinalLoss,9:F4}  {h.FinalLossError,7:P2}  {h.PredE,7:F4}")));
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{seconds:F1} s"));
        return string.Join(Environment.NewLine, lines);
    }
}
