using Sweeps.Core.Grid;
using Sweeps.Core.Specs;
using Sweeps.Laws.Adaptive;
using Sweeps.Laws.Curves;
using Sweeps.Tests;
using static Sweeps.Laws.Tests.Adaptive.AdaptiveRuns;

namespace Sweeps.Laws.Tests.Adaptive;

public class StoppingRuleTests
{
    [Fact]
    public void Asha_promotes_the_best_third_at_a_rung_as_optunas_successive_halving_does()
    {
        var asha = new AshaStopping(new StoppingSettings { Rule = StoppingRuleKind.Asha });
        Assert.Equal([100, 300, 900], asha.Rungs(2700));

        // Nine runs reached the rung at step 300 with losses 1…9: ⌊9/3⌋ − 1 = 2, so the cutoff is the third best.
        var sweep = new SweepProgress();
        var runs = Enumerable.Range(0, 9).Select(i => Prefix(Flat(Run(i, "constant", totalSteps: 2700), 1 + i), 0.2)).ToList();
        runs.ForEach(sweep.Observe);
        Assert.All(runs, r => Assert.True(asha.Checks(r.Run, 270, r.Step)));
        Assert.Equal([false, false, false, true, true, true, true, true, true], runs.Select(r => asha.Decide(r, sweep).Stop));

        // With fewer runs at the rung than the reduction factor, only the best goes on.
        var early = new SweepProgress();
        var pair = new[] { Prefix(Flat(Run(0, "constant", totalSteps: 2700), 2), 0.05), Prefix(Flat(Run(1, "constant", totalSteps: 2700), 1), 0.05) };
        pair.ToList().ForEach(early.Observe);
        Assert.Equal([true, false], pair.Select(r => asha.Decide(r, early).Stop));
    }

    [Fact]
    public void The_median_rule_stops_a_run_whose_best_loss_is_worse_than_the_median_of_the_others_once_enough_have_finished()
    {
        var median = new MedianStopping(new StoppingSettings { Rule = StoppingRuleKind.Median });
        var sweep = new SweepProgress();
        for (var i = 0; i < 4; i++)
        {
            sweep.Observe(RunProgress.Finished(Flat(Run(i, "constant"), 1 + i)));
        }

        var worse = Prefix(Flat(Run(10, "constant"), 3.5), 0.3);
        var better = Prefix(Flat(Run(11, "constant"), 2.5), 0.3);
        Assert.False(median.Decide(worse, sweep).Stop); // four finished: fewer than Optuna's five startup trials

        sweep.Observe(RunProgress.Finished(Flat(Run(4, "constant"), 5)));
        sweep.Observe(worse);
        sweep.Observe(better);
        // The finished runs at that step: 1, 2, 3, 4, 5 (running runs do not count, as in Optuna).
        Assert.True(median.Decide(worse, sweep).Stop);
        Assert.False(median.Decide(better, sweep).Stop);
        Assert.Contains("median", median.Decide(worse, sweep).Reason);
    }

    // At 24,000 steps, the horizon the published 25M law was fitted at, cosine leads WSD until WSD's decay
    // (3.4025 against 3.4233 half way) and WSD ends lowest (3.2555 against 3.3141); constant ends highest.
    private const int Horizon = 24_000;

    [Fact]
    public void The_law_predicts_a_wsd_runs_final_loss_from_its_prefix_and_the_finished_runs_of_its_peak_lr()
    {
        var law = new LawStopping(new StoppingSettings());
        var sweep = new SweepProgress();
        sweep.Observe(RunProgress.Finished(LawCurve(Run(0, "cosine", totalSteps: Horizon))));
        sweep.Observe(RunProgress.Finished(LawCurve(Run(1, "constant", totalSteps: Horizon / 2))));
        var wsd = LawCurve(Run(2, "wsd", totalSteps: Horizon));
        var halfway = Prefix(wsd, 0.5);
        sweep.Observe(halfway);

        var decision = law.Decide(halfway, sweep);

        // The curves follow the law exactly, so the fit comes close to it, and the decay WSD has not reached
        // yet is foreseen: the prediction is below the cosine run that leads it now.
        Assert.NotNull(decision.PredictedFinal);
        Assert.Equal(wsd.Curve.FinalLoss, decision.PredictedFinal.Value, wsd.Curve.FinalLoss * 5e-3);
        Assert.True(decision.PredictedFinal < sweep.Completed(wsd.Run).Single().LatestLoss);
        // Not enough finished runs yet to calibrate an interval: nothing is stopped.
        Assert.False(decision.Stop);
        Assert.Contains("calibrate", decision.Reason);
    }

    [Fact]
    public void The_law_keeps_a_run_that_is_behind_before_its_decay_where_asha_stops_it_and_stops_one_that_never_decays()
    {
        var law = new LawStopping(new StoppingSettings());
        var sweep = Calibrated(errors: 9);
        var cosine = LawCurve(Run(0, "cosine", totalSteps: Horizon));
        sweep.Observe(RunProgress.Finished(cosine));
        sweep.Observe(RunProgress.Finished(LawCurve(Run(1, "constant", totalSteps: Horizon / 2)))); // the same peak LR at another horizon
        var wsd = LawCurve(Run(2, "wsd", totalSteps: Horizon));
        var constant = LawCurve(Run(3, "constant", totalSteps: Horizon));
        Assert.True(wsd.Curve.Loss[49] > cosine.Curve.Loss[49]);
        Assert.True(wsd.Curve.FinalLoss < cosine.Curve.FinalLoss);
        Assert.True(constant.Curve.FinalLoss > cosine.Curve.FinalLoss);

        var keep = law.Decide(Prefix(wsd, 0.5), sweep);
        var stop = law.Decide(Prefix(constant, 0.5), sweep);

        Assert.False(keep.Stop, keep.Reason);
        Assert.True(stop.Stop, stop.Reason);
        Assert.Equal(constant.Curve.FinalLoss, stop.PredictedFinal!.Value, constant.Curve.FinalLoss * 2e-3);
        Assert.True(stop.LowEnd > cosine.Curve.FinalLoss);

        // ASHA, on the partial losses at its rung a third of the way (step 8,000), would have stopped the eventual winner.
        var asha = new AshaStopping(new StoppingSettings { Rule = StoppingRuleKind.Asha });
        var rung = new SweepProgress();
        var atRung = new[] { cosine, wsd, constant }.Select(c => Prefix(c, 0.34)).ToList();
        atRung.ForEach(rung.Observe);
        Assert.True(asha.Decide(atRung[1], rung).Stop);
    }

    [Fact]
    public void A_run_whose_horizon_has_no_finished_run_is_held_against_the_best_of_a_shorter_horizon_never_a_longer_one()
    {
        var law = new LawStopping(new StoppingSettings());
        var sweep = Calibrated(errors: 9);
        sweep.Observe(RunProgress.Finished(LawCurve(Run(0, "cosine", totalSteps: Horizon / 2)))); // the group's finished run
        var constant = LawCurve(Run(1, "constant", totalSteps: Horizon));
        var halfway = Prefix(constant, 0.5);
        sweep.Observe(halfway);

        // The cosine run, half as long, ends above what this one will reach: a bar it passes.
        var ahead = law.Decide(halfway, sweep);
        Assert.False(ahead.Stop, ahead.Reason);
        Assert.Contains($"may reach the best final {sweep.CompletedUpTo(constant.Run).Single().LatestLoss:G5} at the shorter horizon {Horizon / 2}", ahead.Reason);

        // A run of another peak LR reached 3.2 in half the steps: this one, trained twice as long, cannot reach it.
        var shorter = Flat(Run(2, "cosine", peakLr: 6e-4, totalSteps: Horizon / 2), 3.2);
        sweep.Observe(RunProgress.Finished(shorter));
        Assert.True(constant.Curve.FinalLoss > 3.2);
        var held = law.Decide(halfway, sweep);
        Assert.True(held.Stop, held.Reason);
        Assert.Contains($"the best final 3.2 at the shorter horizon {Horizon / 2}", held.Reason);

        // A longer horizon's best is no bar: a shorter run may end above it and still be its horizon's best.
        var longer = Calibrated(errors: 9);
        longer.Observe(RunProgress.Finished(LawCurve(Run(0, "cosine", totalSteps: Horizon))));
        longer.Observe(RunProgress.Finished(Flat(Run(2, "cosine", peakLr: 6e-4, totalSteps: Horizon), 3.2)));
        var halfAsLong = Prefix(LawCurve(Run(3, "constant", totalSteps: Horizon / 2)), 0.5);
        longer.Observe(halfAsLong);
        var unheld = law.Decide(halfAsLong, longer);
        Assert.False(unheld.Stop, unheld.Reason);
        Assert.Contains("no run of this model size has finished at this horizon or a shorter one", unheld.Reason);
    }

    [Fact]
    public void A_neighbour_of_the_best_peak_lr_is_kept_to_bracket_it_until_one_of_its_seeds_has_finished()
    {
        var law = new LawStopping(new StoppingSettings());
        var sweep = Calibrated(errors: 9);
        var best = LawCurve(Run(0, "cosine", totalSteps: Horizon));
        sweep.Observe(RunProgress.Finished(best));
        sweep.Observe(RunProgress.Finished(LawCurve(Run(1, "constant", peakLr: 1.5e-4, totalSteps: Horizon / 2)))); // the lower peak LR's group
        var lower = LawCurve(Run(2, "cosine", peakLr: 1.5e-4, totalSteps: Horizon));
        Assert.True(lower.Curve.FinalLoss > best.Curve.FinalLoss);
        var halfway = Prefix(lower, 0.5);
        sweep.Observe(halfway);

        // The next peak LR down from the best on its schedule: η* is interpolated through it, so it runs on.
        var kept = law.Decide(halfway, sweep);
        Assert.False(kept.Stop, kept.Reason);
        Assert.Contains("a neighbour of the best run", kept.Reason);

        // Once its first seed has finished, the point is on the curve: another seed of it is judged like any run.
        sweep.Observe(RunProgress.Finished(lower));
        var secondSeed = Prefix(lower with { Run = lower.Run with { Index = 3, Seed = 1 } }, 0.5);
        sweep.Observe(secondSeed);
        var judged = law.Decide(secondSeed, sweep);
        Assert.True(judged.Stop, judged.Reason);
    }

    [Fact]
    public void With_a_fit_file_the_law_predicts_a_run_whose_peak_lr_has_no_finished_run_and_stops_it_when_it_cannot_win()
    {
        // Every curve follows the published 25M law; the fit file holds that law. The constant run at half the
        // cosine run's peak LR has no finished run of its peak LR, so a law fitted to the sweep cannot judge it.
        var sweep = Calibrated(errors: 9);
        var cosine = LawCurve(Run(0, "cosine", totalSteps: Horizon));
        sweep.Observe(RunProgress.Finished(cosine));
        var constant = LawCurve(Run(1, "constant", peakLr: 1.5e-4, totalSteps: Horizon));
        Assert.True(constant.Curve.FinalLoss > cosine.Curve.FinalLoss);
        var early = Prefix(constant, 0.1);
        sweep.Observe(early);

        var own = new LawStopping(new StoppingSettings()).Decide(early, sweep);
        var given = new LawStopping(new StoppingSettings { FitParameters = MultiPowerLawParameters.Published25M.ToDictionary(), FitFile = "fit.json" }).Decide(early, sweep);

        Assert.False(own.Stop);
        Assert.Contains("no finished run of this model size, peak LR", own.Reason);
        Assert.True(given.Stop, given.Reason);
        Assert.Equal(constant.Curve.FinalLoss, given.PredictedFinal!.Value, constant.Curve.FinalLoss * 1e-9);
        Assert.True(given.LowEnd > cosine.Curve.FinalLoss);
    }

    [Fact]
    public void A_multi_scale_fit_file_predicts_each_run_at_its_own_model_size_and_peak_lr()
    {
        var law = KnownMultiScaleLaw.Create();
        const double size = 1.6e9; // beyond the sizes such a law is fitted on: the new scale a sweep explores
        RunCurve Follow(RunDefinition run) => LawCurve(run, law.At(run.ModelSize, run.PeakLr));
        var sweep = Calibrated(errors: 9);
        var cosine = Follow(Run(0, "cosine", peakLr: 3e-4, modelSize: size, totalSteps: Horizon));
        sweep.Observe(RunProgress.Finished(cosine));
        var constant = Follow(Run(1, "constant", peakLr: 1.2e-3, modelSize: size, totalSteps: Horizon));
        var early = Prefix(constant, 0.2);
        sweep.Observe(early);

        var decision = new LawStopping(new StoppingSettings { FitParameters = law.Coefficients(), FitFile = "multi.json" }).Decide(early, sweep);

        Assert.Equal(constant.Curve.FinalLoss, decision.PredictedFinal!.Value, constant.Curve.FinalLoss * 1e-9);
        Assert.True(constant.Curve.FinalLoss > cosine.Curve.FinalLoss);
        Assert.True(decision.Stop, decision.Reason);
    }

    [Fact]
    public void A_fit_file_that_is_not_a_fit_of_its_law_is_refused_naming_the_file()
    {
        var settings = new StoppingSettings { FitParameters = new Dictionary<string, double> { ["L0"] = 3.0 }, FitFile = "fit.json" };

        var error = Assert.Throws<ArgumentException>(() => new LawStopping(settings));

        Assert.Contains("fit.json: not a usable mpl fit", error.Message);
        Assert.Contains("lack A, alpha", error.Message);
    }

    [Fact]
    public void Conformal_bounds_are_the_ranked_errors_split_conformal_prediction_prescribes()
    {
        double[] errors = [0.05, -0.01, 0.03, 0.09, 0.01, -0.02, 0.07, 0.02, 0.04];
        // n = 9 at 90%: ⌈10 · 0.9⌉ = 9, the largest, from above; ⌊10 · 0.1⌋ = 1, the smallest, from below.
        Assert.Equal(0.09, Conformal.UpperBound(errors, 0.9));
        Assert.Equal(-0.02, Conformal.LowerBound(errors, 0.9));
        Assert.Equal(9, Conformal.Needed(0.9));
        Assert.Null(Conformal.UpperBound(errors[..8], 0.9));
        Assert.Null(Conformal.LowerBound(errors[..8], 0.9));
        // n = 19 at 90%: the 18th smallest and the 2nd smallest.
        var more = Enumerable.Range(1, 19).Select(i => i / 100.0).ToArray();
        Assert.Equal(0.18, Conformal.UpperBound(more, 0.9));
        Assert.Equal(0.02, Conformal.LowerBound(more, 0.9));
    }

    [Fact]
    public void The_laws_low_end_is_the_conformal_bound_of_the_sweeps_own_prediction_errors_in_units_of_the_fits_residual()
    {
        // Nine finished runs whose predictions were 1 … 9 residual units too high: at 90%, the largest.
        var sweep = Calibrated(errors: 9, step: 1.0);
        var cosine = LawCurve(Run(0, "cosine", totalSteps: Horizon));
        sweep.Observe(RunProgress.Finished(cosine));
        sweep.Observe(RunProgress.Finished(LawCurve(Run(1, "constant", totalSteps: Horizon / 2))));
        var constant = Prefix(LawCurve(Run(3, "constant", totalSteps: Horizon)), 0.5);
        var law = new LawStopping(new StoppingSettings());
        var decision = law.Decide(constant, sweep);
        var scale = sweep.LatestPrediction(3)!.Scale;

        Assert.Equal(decision.PredictedFinal!.Value * (1 - 9 * scale), decision.LowEnd!.Value, 1e-12);
        // Eight errors are too few for 90%: nothing is stopped.
        var fewer = Calibrated(errors: 8);
        fewer.Observe(RunProgress.Finished(cosine));
        Assert.Null(new LawStopping(new StoppingSettings()).Decide(constant, fewer).LowEnd);
    }

    /// <summary>
    /// A sweep with <paramref name="errors"/> finished runs elsewhere (another model size), each predicted at
    /// a tenth of its horizon (i + 1)·<paramref name="step"/> units of a 1e-3 relative residual too high.
    /// </summary>
    private static SweepProgress Calibrated(int errors, double step = 0.0)
    {
        var sweep = new SweepProgress();
        for (var i = 0; i < errors; i++)
        {
            var run = Run(100 + i, "constant", modelSize: 1e9);
            sweep.Observe(RunProgress.Finished(Flat(run, 3.0)));
            sweep.Predicted(run.Index, 0.1, 3.0 / (1 - (i + 1) * step * 1e-3), scale: 1e-3);
        }

        return sweep;
    }
}
