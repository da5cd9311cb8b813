using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Sweeps.Cli.Output;
using Sweeps.Laws;
using Sweeps.Laws.Mpl;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands.Law;

/// <summary>
/// <c>sweeps law eval --fit FIT.json --curves M.yaml [--json]</c>: a saved fit's predictions scored on
/// curves: <c>{"curves": {name: metrics}, "summary": {"all": metrics}, "elapsed_seconds"}</c>.
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
        string law;
        Dictionary<string, double> parameters;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(fitPath));
            law = document.RootElement.GetProperty("law").GetString() ?? "";
            if (!CurveLaws.Names.Contains(law))
            {
                Console.Error.WriteLine($"{fitPath}: law '{law}' cannot be evaluated on curves (only {string.Join(", ", CurveLaws.Names)})");
                return ExitCodes.BadInput;
            }

            parameters = document.RootElement.GetProperty("params").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            Console.Error.WriteLine($"{fitPath}: not a fit written by `sweeps law fit --out`: {e.Message}");
            return ExitCodes.BadInput;
        }

        var curves = ManifestCurves.Load(manifests, Console.Error);
        if (curves is null)
        {
            return ExitCodes.BadInput;
        }

        Dictionary<string, FitMetrics> scores;
        try
        {
            scores = LawFitCommand.Score(law, parameters, curves.Select(ManifestCurves.Observe));
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"{fitPath}: {e.Message}");
            return ExitCodes.BadInput;
        }
        var result = new
        {
            curves = scores,
            summary = new Dictionary<string, FitMetrics> { ["all"] = FitMetrics.Mean(scores.Values.ToList()) },
            elapsed_seconds = clock.Elapsed.TotalSeconds,
        };
        Console.WriteLine(json
            ? ConsoleJson.Serialize(result)
            : string.Join(Environment.NewLine, scores.Select(c => $"{c.Key}: R² {c.Value.R2:F5}, PredE {c.Value.PredE:F5}, WorstE {c.Value.WorstE:F5}")));
        return ExitCodes.Success;
    }
}
