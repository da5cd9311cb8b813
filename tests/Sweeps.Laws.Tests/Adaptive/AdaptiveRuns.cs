using Sweeps.Core.Curves;
using Sweeps.Core.Grid;
using Sweeps.Core.Schedules;
using Sweeps.Laws.Curves;

namespace Sweeps.Laws.Tests.Adaptive;

/// <summary>Runs and curves for the stopping rules' tests: constant-loss curves, and curves that follow the multi-power law exactly.</summary>
internal static class AdaptiveRuns
{
    public static RunDefinition Run(long index, string schedule, double peakLr = 3e-4, double modelSize = 2.5e7, int totalSteps = 4000, int warmup = 200)
    {
        var spec = schedule switch
        {
            "cosine" => new ScheduleSpec { Kind = ScheduleKind.Cosine, FinalLrRatio = 0.1 },
            "wsd" => new ScheduleSpec { Kind = ScheduleKind.Wsd, DecayFraction = 0.2, DecayShape = DecayShape.Linear, FinalLrRatio = 0.0 },
            _ => new ScheduleSpec { Kind = ScheduleKind.Constant },
        };
        return new RunDefinition(index, peakLr, warmup, modelSize, totalSteps, schedule,
            SweepGrid.Complete(spec, peakLr, warmup, totalSteps), 0, new Dictionary<string, double>());
    }

    /// <summary>The run's curve at 100 evenly spaced steps as the published 25M law gives it (steps count updates).</summary>
    public static RunCurve LawCurve(RunDefinition run, MultiPowerLawParameters? law = null)
    {
        var lr = Schedule.Evaluate(run.Schedule);
        var steps = Enumerable.Range(1, 100).Select(i => i * run.TotalSteps / 100).ToArray();
        var loss = MultiPowerLaw.Predict(law ?? MultiPowerLawParameters.Published25M, new MplCurve(lr, [.. steps.Select(s => s - 1)]));
        return new RunCurve(run, new Curve(steps, [.. steps.Select(s => lr[s - 1])], loss));
    }

    /// <summary>A curve at 100 evenly spaced steps whose loss is <paramref name="loss"/> throughout.</summary>
    public static RunCurve Flat(RunDefinition run, double loss)
    {
        var steps = Enumerable.Range(1, 100).Select(i => i * run.TotalSteps / 100).ToArray();
        return new RunCurve(run, new Curve(steps, [.. steps.Select(_ => run.PeakLr)], [.. steps.Select(_ => loss)]));
    }

    /// <summary>The first points of a curve, up to <paramref name="fraction"/> of its horizon.</summary>
    public static Laws.Adaptive.RunProgress Prefix(RunCurve curve, double fraction) =>
        new(curve.Run, curve.Curve, curve.Curve.Steps.Count(s => s <= fraction * curve.Run.TotalSteps));
}
