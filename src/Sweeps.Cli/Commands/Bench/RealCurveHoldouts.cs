using Sweeps.Cli.Commands.Law;
using Sweeps.Core.Curves;
using Sweeps.Core.Schedules;
using Sweeps.Laws;
using Sweeps.Laws.Curves;

namespace Sweeps.Cli.Commands.Bench;

/// <summary>
/// How well the multi-power law predicts real curves it did not see, on the 25M curves (one model
/// size, so the single-scale MPL): <b>leave-one-schedule-out</b> holds out each schedule family
/// (constant, cosine, WSD with exponential decay, WSD with linear decay, the two-stage steps) and
/// fits the others; <b>leave-long-horizon-out</b> fits the curves shorter than the longest horizon
/// and predicts the longest ones. Each held-out curve is scored on its final loss and on every point.
/// </summary>
internal static class RealCurveHoldouts
{
    public sealed record Row(string Protocol, string HeldOut, string Curve, int TrainCurves, double PredictedFinalLoss, double RealFinalLoss, double FinalLossError, double PredE);

    public static IReadOnlyList<Row> Run(IReadOnlyList<ManifestCurve> curves)
    {
        var families = curves.GroupBy(Family).Select(g => (Protocol: "leave-one-schedule-out", HeldOut: g.Key, Test: g.ToList()));
        var longest = curves.Max(c => c.Schedule.TotalSteps);
        var horizon = (Protocol: "leave-long-horizon-out", HeldOut: $"{longest} steps", Test: curves.Where(c => c.Schedule.TotalSteps == longest).ToList());
        var folds = families.Append(horizon).ToList();

        // Each fold is an independent deterministic fit.
        return folds.AsParallel().AsOrdered().SelectMany(fold =>
        {
            var train = curves.Except(fold.Test).Select(ManifestCurves.Observe).ToList();
            var fit = MultiPowerLawFit.Fit(train);
            return fold.Test.Select(ManifestCurves.Observe).Select(test =>
            {
                var predicted = CurveLaws.Predict(MultiPowerLaw.LawName, fit.Parameters, test.Curve);
                var (guess, real) = (predicted[^1], test.Loss[^1]);
                return new Row(fold.Protocol, fold.HeldOut, test.Name, train.Count, guess, real, guess / real - 1, FitMetrics.Of(test.Loss, predicted).PredE);
            });
        }).ToList();
    }

    /// <summary>The schedule's family: its kind, WSD split by decay shape.</summary>
    private static string Family(ManifestCurve curve) => curve.Schedule.Kind == ScheduleKind.Wsd
        ? $"wsd-{curve.Schedule.DecayShape.ToString().ToLowerInvariant()}"
        : curve.Schedule.Kind.ToString().ToLowerInvariant();
}
