using Sweeps.Core.Grid;
using Sweeps.Laws.Adaptive;
using static Sweeps.Laws.Tests.Adaptive.AdaptiveRuns;

namespace Sweeps.Laws.Tests.Adaptive;

public class AdaptiveReplayTests
{
    /// <summary>Stops every run whose index is odd at its first checkpoint (a quarter of its horizon), and counts who it saw.</summary>
    private sealed class StopOddRuns : IStoppingRule
    {
        public List<(long Index, int Step, int Running)> Seen { get; } = [];

        public bool Checks(RunDefinition run, int fromStep, int toStep) => fromStep < run.TotalSteps / 4 && toStep >= run.TotalSteps / 4;

        public StopDecision Decide(RunProgress run, SweepProgress sweep)
        {
            Seen.Add((run.Run.Index, run.Step, sweep.Cell(run.Run).Count(p => !p.Completed && !sweep.IsStopped(p.Run.Index))));
            return new StopDecision(run.Run.Index % 2 == 1, "odd", PredictedFinal: 9.0);
        }
    }

    [Fact]
    public void A_full_replay_runs_every_run_to_its_end()
    {
        var runs = Enumerable.Range(0, 5).Select(i => Flat(Run(i, "constant"), 2 + i)).ToList();

        var outcomes = AdaptiveReplay.Run(runs, null, concurrency: 2);

        Assert.Equal(runs.Select(r => r.Curve.FinalLoss), outcomes.Select(o => o.FinalLoss));
        Assert.All(outcomes, o => Assert.Equal(4000, o.StepsRun));
        Assert.All(outcomes, o => Assert.False(o.Stopped));
    }

    [Fact]
    public void A_stopped_run_keeps_the_steps_it_ran_and_frees_its_slot_for_the_next_run()
    {
        var runs = Enumerable.Range(0, 4).Select(i => Flat(Run(i, "constant"), 2 + i)).ToList();
        var rule = new StopOddRuns();

        var outcomes = AdaptiveReplay.Run(runs, rule, concurrency: 2);

        Assert.Equal([4000, 1000, 4000, 1000], outcomes.Select(o => o.StepsRun));
        Assert.Equal([false, true, false, true], outcomes.Select(o => o.Stopped));
        Assert.Equal(9.0, outcomes[1].PredictedFinal);
        Assert.True(double.IsNaN(outcomes[1].FinalLoss));
        // Run 2 took run 1's slot when run 1 was stopped, and reached its checkpoint while run 0 still ran.
        Assert.Equal([0, 1, 2, 3], rule.Seen.Select(s => s.Index));
        Assert.Equal(2, rule.Seen.Single(s => s.Index == 2).Running);

        var score = AdaptiveScore.Of(AdaptiveReplay.Run(runs, null, 2), outcomes, usePredictions: false);
        Assert.Equal(10_000.0 / 16_000, score.StepsShare, 1e-12);
        Assert.Equal(0.0, score.MaxRegret); // the best run (0) was kept
    }

    [Fact]
    public void Regret_is_the_best_kept_runs_loss_against_the_full_grids_best_per_model_size_and_horizon()
    {
        var runs = new[] { Flat(Run(0, "constant"), 2.0), Flat(Run(1, "constant"), 2.02), Flat(Run(2, "constant", totalSteps: 8000), 1.5) };
        var full = AdaptiveReplay.Run(runs, null, 3);
        // Stop the best run of the first cell: the best kept there is 1 % worse.
        var adaptive = full.Select(o => o.Run.Index == 0 ? o with { Stopped = true, FinalLoss = double.NaN, StepsRun = 1000 } : o).ToList();

        var score = AdaptiveScore.Of(full, adaptive, usePredictions: false);

        Assert.Equal(0.01, score.MaxRegret, 1e-12);
        Assert.Equal(13_000.0 / 16_000, score.StepsShare, 1e-12);
    }
}
