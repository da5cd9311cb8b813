using Sweeps.Cli.Commands.Bench;
using Sweeps.Core.Specs;
using Sweeps.Laws;
using Sweeps.Laws.Adaptive;
using Sweeps.Laws.Curves;

namespace Sweeps.Cli.Tests;

/// <summary>The law stopping rule on a kernel's curves rather than the law's own: the noisy quadratic past its optimal peak LR.</summary>
public class QuadraticStoppingTests
{
    private static readonly Lazy<IReadOnlyList<RunCurve>> Runs = new(() => AdaptiveCases.Simulate(AdaptiveCases.Parse("""
        name: quadratic-stopping
        simulator: {name: quadratic, options: {spectrum_exponent: 1.0, target_exponent: 1.5, noise: 1.0, irreducible_loss: 1.0}}
        grid:
          peak_lr: [0.005, 0.04, 0.64]
          warmup_steps: 0
          model_size: 512
          total_steps: [250, 1000, 4000]
          schedule: [cosine, wsd]
        schedules:
          cosine: {kind: cosine, final_lr_ratio: 0.1}
          wsd: {kind: wsd, decay_fraction: 0.2, decay_shape: linear, final_lr_ratio: 0.0}
        """)));

    [Fact]
    public void Where_the_curves_leave_the_laws_parameters_unidentified_the_rule_still_predicts_the_decay_and_stops_a_hopeless_run()
    {
        // At peak LR 0.64 the loss sits on a noise floor set by the LR until the decay brings it down; the
        // multi-power law fitted to that group's curves has A < 0, a fit whose coefficients mean nothing.
        var runs = Runs.Value;
        RunCurve Single(double peakLr, int totalSteps, string schedule) =>
            runs.Single(r => (r.Run.PeakLr, r.Run.TotalSteps, r.Run.ScheduleName) == (peakLr, totalSteps, schedule));
        var wsd = Single(0.64, 4000, "wsd");
        var best = Single(0.04, 4000, "cosine");
        var sweep = Calibrated();
        foreach (var finished in runs.Where(r => r.Run.PeakLr == 0.64 && r.Run.TotalSteps < 4000).Append(best))
        {
            sweep.Observe(RunProgress.Finished(finished));
        }

        var stable = new RunProgress(wsd.Run, wsd.Curve, wsd.Curve.Count / 2); // half way through its stable phase
        sweep.Observe(stable);
        var group = sweep.All().Where(p => p.Run.PeakLr == 0.64).Select(p => new RunCurve(p.Run, p.Observed)).ToList();
        var fit = Assert.Single(SweepLaws.Fit([MultiPowerLaw.LawName], [], group)); // the sweep's own fit of the group
        Assert.Empty(fit.Parameters);
        Assert.Contains(fit.Warnings, w => w.Contains("not identified"));

        var decision = new LawStopping(new StoppingSettings()).Decide(stable, sweep);

        // The decay WSD has yet to run takes the loss from 2.25 to 1.31; the prediction foresees it.
        Assert.True(stable.LatestLoss > 1.6 * wsd.Curve.FinalLoss);
        Assert.NotNull(decision.PredictedFinal);
        Assert.Equal(wsd.Curve.FinalLoss, decision.PredictedFinal.Value, wsd.Curve.FinalLoss * 0.05);
        Assert.True(decision.Stop, decision.Reason);
        Assert.True(wsd.Curve.FinalLoss > best.Curve.FinalLoss, "the stopped run could not have won");
    }

    /// <summary>Nine finished runs elsewhere (another model size) whose predictions were exact: an interval of width zero.</summary>
    private static SweepProgress Calibrated()
    {
        var sweep = new SweepProgress();
        foreach (var run in Runs.Value.Where(r => r.Run.PeakLr < 0.64).Take(9).Select((r, i) => r with { Run = r.Run with { Index = 1000 + i, ModelSize = 1e9 } }))
        {
            sweep.Observe(RunProgress.Finished(run));
            sweep.Predicted(run.Run.Index, 0.1, run.Curve.FinalLoss, scale: 1e-3);
        }

        return sweep;
    }
}
