using System.Diagnostics;
using Sweeps.Cli.Output;
using Sweeps.Core.Curves;
using Sweeps.Laws;
using Sweeps.Laws.Curves;
using Sweeps.Laws.Scaling;

namespace Sweeps.Cli.Commands.Law;

/// <summary>
/// <c>sweeps law fit mpl</c> over curves of several model sizes: the joint multi-scale MPL
/// (<see cref="MultiScaleMplFit"/>), its structure chosen by leave-one-size-out cross-validation,
/// scored per curve at each curve's own size, with the fitted range written for later extrapolation.
/// </summary>
internal static class MultiScaleLawFit
{
    public static int Run(List<ManifestCurve> curves, IReadOnlyCollection<string> trainNames, bool json, string? output, int resamples, string? plot, Stopwatch clock)
    {
        var unsized = curves.Where(c => c.ModelSize is null).Select(c => $"'{c.Name}' ({c.File})").ToList();
        if (unsized.Count > 0)
        {
            Console.Error.WriteLine($"sweeps law fit mpl: curves of several model sizes are fitted jointly, and {string.Join(", ", unsized)} " +
                "has no model_size; set model_size in its manifest (top level or per curve)");
            return ExitCodes.BadInput;
        }

        var keys = ManifestCurves.Keys(curves);
        var scaled = curves.Select((c, i) => Scale(c, keys[i])).ToList();
        var train = scaled.Where((_, i) => trainNames.Contains(curves[i].Name)).ToList();
        var test = scaled.Where((_, i) => !trainNames.Contains(curves[i].Name)).ToList();
        if (train.Select(c => c.ModelSize).Distinct().Count() < 2)
        {
            Console.Error.WriteLine("sweeps law fit mpl: the training curves are all of one model size; a fit across sizes needs two or more (or fit one size's manifest alone)");
            return ExitCodes.BadInput;
        }

        Console.Error.WriteLine($"[sweeps] fitting the multi-scale MPL to {train.Count} curves of {train.Select(c => c.ModelSize).Distinct().Count()} model sizes (choosing among {MultiScaleMplFit.Candidates.Count} structures)");
        var fit = MultiScaleMplFit.Fit(train);
        if (fit.Law is not { } law)
        {
            Console.Error.WriteLine($"sweeps law fit mpl: {string.Join("; ", fit.Report.Warnings)}");
            return ExitCodes.BadInput;
        }

        var trainMetrics = Score(law, train);
        var testMetrics = Score(law, test);
        var report = fit.Report;
        var intervals = resamples > 0 ? Bootstrap.MultiScale(train, law, resamples) : Bootstrap.Result.None;
        var result = new LawFitOutput(MultiPowerLaw.LawName, report.Parameters, report.Objective, report.Iterations, report.Converged,
            trainMetrics, testMetrics,
            LawFitOutput.Summarise(trainMetrics, testMetrics),
            [.. report.Warnings, .. intervals.Warnings],
            clock.Elapsed.TotalSeconds)
        {
            Structure = law.Structure,
            StructureScores = fit.StructureScores,
            StructureCriterion = fit.Criterion,
            FittedRange = FittedRange.Of(curves.Where(c => trainNames.Contains(c.Name))
                .Select(c => (c.ModelSize!.Value, c.Schedule.TotalSteps, c.LearningRates.Max(), c.Schedule.EffectiveWarmupSteps)).ToList()),
            Intervals = intervals.Intervals,
            Bootstrap = resamples,
        };
        if (plot is not null)
        {
            var sizes = scaled.ToDictionary(c => c.Name, c => c.ModelSize);
            LawFitPlot.Save(plot, $"multi-scale {MultiPowerLaw.LawName}", o => law.Predict(sizes[o.Name], o.Curve),
                train.Select(c => c.Observation).ToList(), test.Select(c => c.Observation).ToList());
        }

        return LawFitCommand.Print(result with { ElapsedSeconds = clock.Elapsed.TotalSeconds }, json, output);
    }

    public static ScaledCurve Scale(ManifestCurve curve, string key)
    {
        var observation = ManifestCurves.Observe(curve);
        return new ScaledCurve(key, curve.ModelSize ?? double.NaN, observation.Curve, observation.Loss);
    }

    public static Dictionary<string, FitMetrics> Score(MultiScaleMpl law, IEnumerable<ScaledCurve> curves) =>
        curves.ToDictionary(c => c.Name, c => FitMetrics.Of(c.Loss, law.Predict(c.ModelSize, c.Curve)));
}
