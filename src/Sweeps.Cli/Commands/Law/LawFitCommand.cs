using System.CommandLine;
using System.Diagnostics;
using Sweeps.Cli.Output;
using Sweeps.Laws;
using Sweeps.Laws.Curves;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands.Law;

/// <summary>
/// <c>sweeps law fit mpl|momentum|power --curves M.yaml [--curves …] --train A,B,C [--json] [--out FIT.json]</c>:
/// fits a loss-curve law to the named curves and scores it on all the others.
/// </summary>
internal static class LawFitCommand
{
    public static IReadOnlyList<string> Laws => [.. CurveLaws.Names, Chinchilla.LawName];

    public static Command Create()
    {
        var law = new Argument<string>("law") { Description = $"The law to fit ({string.Join(", ", Laws)})" };
        var curves = new Option<string[]>("--curves") { Description = "A curve manifest (YAML); repeat for several (curve laws)" };
        var points = new Option<string?>("--points") { Description = "A CSV with columns params,tokens,loss (chinchilla)" };
        var train = new Option<string?>("--train") { Description = "Comma-separated curve names to fit (default: all); the others are the test set" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout" };
        var output = new Option<string?>("--out") { Description = "Also write the fit (JSON) to this file, for `sweeps law eval --fit`" };
        var plot = new Option<string?>("--plot") { Description = "Draw data and predictions of every curve to this PNG (curve laws)" };
        var method = new Option<string?>("--method")
        {
            Description = $"How to fit mpl: {string.Join(" or ", MplFitMethods.Names)} (default: {MplFitMethods.Default}: the optimum if its residuals are white, else the published pipeline; see docs/architecture.md)",
        };
        var bootstrap = new Option<int>("--bootstrap") { Description = "Resamples for 95% bootstrap intervals of the parameters (0: none)", DefaultValueFactory = _ => 0 };
        var command = new Command("fit", "Fit a law to loss curves, or chinchilla to final losses") { law, curves, points, train, method, json, output, bootstrap, plot };
        command.SetAction(parse =>
        {
            var name = parse.GetValue(law)!;
            var resamples = parse.GetValue(bootstrap);
            if (resamples is < 0 or > 100_000)
            {
                Console.Error.WriteLine($"--bootstrap: must be in [0, 100000], got {resamples}");
                return ExitCodes.BadInput;
            }

            var how = parse.GetValue(method);
            if (how is not null && (name != MultiPowerLaw.LawName || !MplFitMethods.Names.Contains(how)))
            {
                Console.Error.WriteLine(name != MultiPowerLaw.LawName
                    ? $"--method: only mpl has more than one way to fit ({name} has one)"
                    : $"--method: unknown method '{how}' (one of {string.Join(", ", MplFitMethods.Names)})");
                return ExitCodes.BadInput;
            }

            return name == Chinchilla.LawName
                ? ChinchillaFit.Run(parse.GetValue(points), parse.GetValue(curves) ?? [], parse.GetValue(json), parse.GetValue(output), resamples)
                : Run(name, how, parse.GetValue(curves) ?? [], parse.GetValue(train), parse.GetValue(json), parse.GetValue(output), resamples, parse.GetValue(plot));
        });
        return command;
    }

    private static int Run(string law, string? method, string[] manifests, string? trainNames, bool json, string? output, int resamples, string? plot)
    {
        var clock = Stopwatch.StartNew();
        if (!Laws.Contains(law))
        {
            Console.Error.WriteLine($"sweeps law fit: unknown law '{law}' (one of {string.Join(", ", Laws)})");
            return ExitCodes.BadInput;
        }

        if (manifests.Length == 0)
        {
            Console.Error.WriteLine($"sweeps law fit {law}: --curves MANIFEST.yaml is required");
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

        var names = trainNames?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? curves.Select(c => c.Name).ToArray();
        var unknown = names.Where(n => curves.All(c => c.Name != n)).ToArray();
        if (unknown.Length > 0)
        {
            Console.Error.WriteLine($"--train: no curve named {string.Join(", ", unknown.Select(n => $"'{n}'"))} (have {string.Join(", ", curves.Select(c => c.Name))})");
            return ExitCodes.BadInput;
        }

        var sizes = curves.Select(c => c.ModelSize).Distinct().ToList();
        if (law == MultiPowerLaw.LawName && sizes.Count(s => s is not null) >= 2)
        {
            return MultiScaleLawFit.Run(curves, names, json, output, resamples, plot, clock);
        }

        var observations = ManifestCurves.ObserveAll(curves);
        var train = observations.Where((_, i) => names.Contains(curves[i].Name)).ToList();
        var test = observations.Where((_, i) => !names.Contains(curves[i].Name)).ToList();
        var report = CurveLaws.Fit(law, train, mplMethod: method);
        if (report.Parameters.Count == 0)
        {
            Console.Error.WriteLine($"sweeps law fit: {string.Join("; ", report.Warnings)}");
            return ExitCodes.BadInput;
        }

        var trainMetrics = Score(law, report.Parameters, train);
        var testMetrics = Score(law, report.Parameters, test);
        var intervals = resamples > 0 ? Bootstrap.CurveLaw(law, train, report.Parameters, resamples, mplMethod: report.Method, progress: BootstrapProgress(resamples)) : Bootstrap.Result.None;
        var result = new LawFitOutput(law, report.Parameters, report.Objective, report.Iterations, report.Converged,
            trainMetrics, testMetrics,
            LawFitOutput.Summarise(trainMetrics, testMetrics),
            [.. report.Warnings, .. LawFitOutput.ConvergenceWarnings(report.Converged), .. intervals.Warnings],
            clock.Elapsed.TotalSeconds)
        {
            Method = report.Method,
            SelectedBy = report.SelectedBy,
            CrossValidation = report.CrossValidation,
            Intervals = intervals.Intervals,
            Bootstrap = resamples,
        };
        if (plot is not null)
        {
            LawFitPlot.Save(plot, law, o => CurveLaws.Predict(law, report.Parameters, o.Curve), train, test);
        }

        result = result with { ElapsedSeconds = clock.Elapsed.TotalSeconds };
        return Print(result, json, output);
    }

    /// <summary>A line on stderr at every tenth of the resamples (stdout stays the result's alone).</summary>
    internal static Action<int> BootstrapProgress(int resamples)
    {
        var step = Math.Max(1, resamples / 10);
        return done =>
        {
            if (done % step == 0 || done == resamples)
            {
                Console.Error.WriteLine($"bootstrap: {done}/{resamples} resamples refitted");
            }
        };
    }

    internal static int Print(LawFitOutput result, bool json, string? output)
    {
        var text = ConsoleJson.Serialize(result);
        if (output is not null)
        {
            File.WriteAllText(output, text);
        }

        Console.WriteLine(json ? text : Describe(result));
        return ExitCodes.Success;
    }

    internal static Dictionary<string, FitMetrics> Score(string law, IReadOnlyDictionary<string, double> parameters, IEnumerable<MplObservation> curves) =>
        curves.ToDictionary(o => o.Name, o => FitMetrics.Of(o.Loss, CurveLaws.Predict(law, parameters, o.Curve)));

    private static string Describe(LawFitOutput fit)
    {
        var lines = new List<string>();
        if (fit.Structure is not null)
        {
            lines.Add($"multi-scale {fit.Law} over model sizes {fit.FittedRange!.ModelSize[0]:G3}–{fit.FittedRange.ModelSize[1]:G3}: {fit.Structure}");
            lines.AddRange(fit.StructureScores!.Select(c => $"  {fit.StructureCriterion} {c.Value:G6}: {c.Key}"));
        }

        lines.AddRange(new[]
        {
            $"{fit.Law}: {string.Join(", ", fit.Parameters.Select(p => $"{p.Key} = {p.Value:G6}" + (fit.Intervals.TryGetValue(p.Key, out var ci) ? $" [{ci[0]:G4}, {ci[1]:G4}]" : "")))}",
            $"objective {fit.Objective:G6} after {fit.Iterations} iterations{(fit.Converged ? "" : " (not converged)")}{(fit.Method is null ? "" : $", method {fit.Method}")}{(fit.SelectedBy is null ? "" : $" (chosen by {fit.SelectedBy}{(fit.CrossValidation is null ? "" : ": held-out-schedule PredE " + string.Join(", ", fit.CrossValidation.Select(c => double.IsFinite(c.Value) ? $"{c.Key} {c.Value:G4}" : $"{c.Key} failed")))})")}, {fit.ElapsedSeconds:F2} s",
        });
        lines.AddRange(fit.Warnings.Select(w => "  warning: " + w));
        lines.AddRange(fit.Train.Select(c => $"  train {c.Key}: R² {c.Value.R2:F5}, PredE {c.Value.PredE:F5}, WorstE {c.Value.WorstE:F5}"));
        lines.AddRange(fit.Test.Select(c => $"  test  {c.Key}: R² {c.Value.R2:F5}, PredE {c.Value.PredE:F5}, WorstE {c.Value.WorstE:F5}"));
        foreach (var (set, m) in fit.Summary.Where(s => s.Value is not null))
        {
            lines.Add($"  mean {set}: R² {m!.R2:F5}, PredE {m.PredE:F5}, WorstE {m.WorstE:F5}");
        }

        return string.Join(Environment.NewLine, lines);
    }
}
