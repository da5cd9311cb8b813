using System.CommandLine;
using System.Diagnostics;
using Sweeps.Cli.Output;
using Sweeps.Laws;
using Sweeps.Core.Curves;
using Sweeps.Laws.Curves;
using Sweeps.Laws.Scaling;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands.Law;

/// <summary>
/// <c>sweeps law eval --fit FIT.json --curves M.yaml [--json]</c>: a saved fit's predictions scored on
/// curves: <c>{"fit_method", "curves": {name: metrics}, "summary": {"all": metrics}, "warnings", "elapsed_seconds"}</c>,
/// <c>fit_method</c> being the method the fit file records (null for older files).
/// A multi-scale fit predicts each curve at the model size its manifest gives, fitted or not.
/// </summary>
internal static class LawEvalCommand
{
    public static Command Create()
    {
        var fit = new Option<string>("--fit") { Description = "A fit written by `sweeps law fit --out`", Required = true };
        var curves = new Option<string[]>("--curves") { Description = "A curve manifest (YAML); repeat for several", Required = true };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout" };
        var command = new Command("eval", "Score a saved fit on loss curves") { fit, curves, json };
        command.SetAction(parse => Run(parse.GetValue(fit)!, parse.GetValue(curves)!, parse.GetValue(json)));
        return command;
    }

    private static int Run(string fitPath, string[] manifests, bool json)
    {
        var clock = Stopwatch.StartNew();
        var (fit, problem) = FitFile.Read(fitPath);
        if (fit is null)
        {
            Console.Error.WriteLine(problem);
            return ExitCodes.BadInput;
        }

        var (law, parameters, range) = (fit.Law, fit.Parameters, fit.Range);
        if (!CurveLaws.Names.Contains(law))
        {
            Console.Error.WriteLine($"{fitPath}: law '{law}' cannot be evaluated on curves (only {string.Join(", ", CurveLaws.Names)})");
            return ExitCodes.BadInput;
        }

        var curves = ManifestCurves.Load(manifests, Console.Error);
        if (curves is null)
        {
            return ExitCodes.BadInput;
        }

        foreach (var note in ManifestCurves.ThinningNotes(curves))
        {
            Console.Error.WriteLine(note);
        }

        var warnings = new List<string>();
        Dictionary<string, FitMetrics> scores;
        try
        {
            scores = MultiScaleMpl.IsMultiScale(parameters)
                ? ScoreAcrossSizes(MultiScaleMpl.FromCoefficients(parameters), range, curves, warnings)
                : LawFitCommand.Score(law, parameters, ManifestCurves.ObserveAll(curves));
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"{fitPath}: {e.Message}");
            return ExitCodes.BadInput;
        }

        if (scores.Count == 0)
        {
            Console.Error.WriteLine(string.Join(Environment.NewLine, warnings));
            return ExitCodes.BadInput;
        }

        var result = new
        {
            fit_method = fit.Method,
            curves = scores,
            summary = new Dictionary<string, FitMetrics> { ["all"] = FitMetrics.Mean(scores.Values.ToList()) },
            warnings,
            elapsed_seconds = clock.Elapsed.TotalSeconds,
        };
        Console.WriteLine(json
            ? ConsoleJson.Serialize(result)
            : string.Join(Environment.NewLine, new[] { $"{law} fit ({fit.Method ?? "method not recorded"}) from {fitPath}" }.Concat(scores.Select(c => $"{c.Key}: R² {c.Value.R2:F5}, PredE {c.Value.PredE:F5}, WorstE {c.Value.WorstE:F5}")
                .Concat(warnings.Select(w => "warning: " + w)))));
        return ExitCodes.Success;
    }

    /// <summary>
    /// A multi-scale fit scored on curves at each curve's own model size, fitted or not; curves
    /// beyond the fitted range are scored too and named in a warning with their distance.
    /// </summary>
    private static Dictionary<string, FitMetrics> ScoreAcrossSizes(MultiScaleMpl law, FittedRange? range, List<ManifestCurve> curves, List<string> warnings)
    {
        var unsized = curves.Where(c => c.ModelSize is null).Select(c => $"'{c.Name}' ({c.File})").ToList();
        if (unsized.Count > 0)
        {
            warnings.Add($"a multi-scale fit predicts at a model size, and {string.Join(", ", unsized)} has no model_size; set model_size in its manifest");
            return [];
        }

        var keys = ManifestCurves.Keys(curves);
        foreach (var (curve, key) in curves.Zip(keys).Where(_ => range is not null))
        {
            var beyond = new List<string>();
            range!.Extrapolation(curve.ModelSize!.Value, curve.Schedule.TotalSteps, beyond);
            warnings.AddRange(beyond.Select(w => $"{key}: {w}"));
        }

        return MultiScaleLawFit.Score(law, curves.Select((c, i) => MultiScaleLawFit.Scale(c, keys[i])));
    }
}
