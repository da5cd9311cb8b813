using Sweeps.Core.Curves;
using Sweeps.Kernels;
using Sweeps.Laws;
using Sweeps.Laws.Curves;

namespace Sweeps.Cli.Commands.Bench;

/// <summary>
/// Every way to fit the multi-power law, side by side, judged by held-out prediction: fitted on the
/// paper's three training schedules and scored on the other six, on the real 25M curves and on the
/// mpl-surrogate twin at three model sizes (the same nine schedules, the twin's noise). Each method
/// reports its training objective, the held-out mean R², PredE and WorstE, and its own seconds
/// (one run each, in this process, after the bench's other sections have compiled the code).
/// </summary>
internal static class MplMethodComparison
{
    public static readonly double[] TwinSizes = [5e7, 2e8, 1e9];

    public sealed record MethodScore(double Objective, double R2, double PredE, double WorstE, double ElapsedSeconds, string? Chose);

    public sealed record Case(string Name, IReadOnlyDictionary<string, MethodScore> Methods);

    public static IReadOnlyList<Case> Run(IReadOnlyList<ManifestCurve> realCurves, IReadOnlyList<string> trainNames, Action<string> progress)
    {
        var cases = new List<(string Name, List<MplObservation> Curves)>
        {
            ("25M (real)", realCurves.Select(c => new MplObservation(c.Name, new MplCurve(c.LearningRates, c.Curve.Steps), c.Curve.Loss)).ToList()),
        };
        cases.AddRange(TwinSizes.Select(n => ($"twin {n:G2}", MplSurrogateCurves.Run(realCurves, n))));
        return cases.Select(c =>
        {
            progress($"fitting the multi-power law every way: {c.Name} …");
            var train = c.Curves.Where(o => trainNames.Contains(o.Name)).ToList();
            var test = c.Curves.Where(o => !trainNames.Contains(o.Name)).ToList();
            return new Case(c.Name, MplFitMethods.Names.ToDictionary(method => method, method => Score(method, train, test)));
        }).ToList();
    }

    private static MethodScore Score(string method, List<MplObservation> train, List<MplObservation> test)
    {
        var (fit, seconds) = Timing.Once(() => MplFitMethods.Fit(method, train));
        if (fit.Parameters.Count == 0)
        {
            return new MethodScore(double.NaN, double.NaN, double.NaN, double.NaN, seconds, null);
        }

        var parameters = MultiPowerLawParameters.FromDictionary(fit.Parameters);
        var heldOut = FitMetrics.Mean(test.Select(o => FitMetrics.Of(o.Loss, MultiPowerLaw.Predict(parameters, o.Curve))).ToList());
        return new MethodScore(fit.Objective, heldOut.R2, heldOut.PredE, heldOut.WorstE, seconds, fit.SelectedBy is null ? null : fit.Method);
    }
}
