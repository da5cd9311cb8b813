using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Core.Specs;
using Sweeps.Kernels;
using Sweeps.Laws;
using Sweeps.Laws.Adaptive;
using Sweeps.Tests;

namespace Sweeps.Grains.Tests;

/// <summary>
/// Stopping inside a live sweep: the run grains put each run before the sweep's rule at its checkpoints
/// (the judge grain), stop the hopeless ones and record them as stopped. With one run at a time a live
/// sweep sees exactly what <see cref="AdaptiveReplay"/> sees, so the two must stop the same runs at the
/// same steps: the replay, which <c>sweeps bench adaptive</c> reports, is an independent reference.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AdaptiveSweepTests(ClusterFixture fixture)
{
    /// <summary>48 quadratic runs (6 peak LRs × 2 sizes × 2 horizons × 2 schedules), one at a time, each run here (not read from the full sweep).</summary>
    private static SweepSpec Spec(string name, string adaptive) => new SweepSpecParser(KernelCatalog.Default).Parse($"""
        name: {name}
        simulator: quadratic
        grid:
          peak_lr: {"{"}log_space: [0.02, 1.5], points: 6{"}"}
          model_size: [32, 128]
          total_steps: [300, 900]
          schedule: [cosine, constant]
        concurrency: 1
        laws: []
        reuse: false
        {adaptive}
        """).Spec ?? throw new InvalidOperationException("test spec is invalid");

    [Theory]
    [InlineData("asha")]
    [InlineData("median")]
    [InlineData("law")]
    public async Task A_live_sweep_stops_the_runs_its_replay_stops_at_the_same_steps_and_keeps_what_they_reached(string rule)
    {
        var spec = Spec($"adaptive-{rule}", $"adaptive: {{stop: {rule}}}");
        var full = await fixture.CompleteAsync($"adaptive-full-{rule}", Spec("adaptive-full", ""));
        var grid = new SweepGrid(spec);
        var curves = (await RunResults.Of(fixture.Grains, $"adaptive-full-{rule}", grid, [.. Enumerable.Range(0, (int)grid.Count).Select(i => (long)i)]))
            .Select(r => new RunCurve(grid.RunAt(r!.Index), r.Curve!)).ToList();
        var replay = AdaptiveReplay.Run([.. DispatchOrder.For(grid)!.Indices().Select(i => curves[(int)i])], IStoppingRule.Create(spec.Stopping!), concurrency: 1);

        var status = await fixture.CompleteAsync($"adaptive-live-{rule}", spec);

        var records = (await fixture.Grains.GetGrain<ISweepGrain>($"adaptive-live-{rule}").GetAllRunsAsync()).ToDictionary(r => r.Index);
        Assert.Equal(full.Finished, status.Finished);
        var sideBySide = string.Join("\n", replay.Select(o => $"{o.Run.RunId} replay {(o.Stopped ? "S" : "-")} {o.StepsRun} live {records[o.Run.Index].Status} {records[o.Run.Index].TotalSteps} {o.Reason}"));
        Assert.True(replay.Count(o => o.Stopped) == status.Counts.GetValueOrDefault(RunStatus.Stopped), sideBySide);
        foreach (var outcome in replay)
        {
            var record = records[outcome.Run.Index];
            Assert.Equal((outcome.Run.RunId, outcome.Stopped ? RunStatus.Stopped : RunStatus.Succeeded), (outcome.Run.RunId, record.Status));
            Assert.Equal(outcome.StepsRun, record.TotalSteps);
            if (!outcome.Stopped)
            {
                Assert.Equal(outcome.FinalLoss, record.FinalLoss);
                continue;
            }

            // What a stopped run reached is the first points of its full curve, its decision kept with it.
            Assert.Equal(outcome.PredictedFinal, record.PredictedFinal);
            var stopped = (await RunResults.Of(fixture.Grains, $"adaptive-live-{rule}", grid, outcome.Run.Index))!;
            var whole = curves[(int)outcome.Run.Index].Curve;
            Assert.Equal(outcome.StepsRun, stopped.Curve!.Steps[^1]);
            Assert.Equal(whole.Loss[..stopped.Curve.Count], stopped.Curve.Loss);
            Assert.Equal((outcome.StepsRun, rule, outcome.Reason), (stopped.Stop!.Step, stopped.Stop.Rule, stopped.Stop.Reason));
        }

        // Steps: what the stopped runs reached, and every other run's horizon.
        Assert.Equal(replay.Sum(o => (long)o.StepsRun), status.TotalSteps);
        if (rule == "asha")
        {
            Assert.True(replay.Count(o => o.Stopped) >= grid.Count / 2, "ASHA keeps a third of the runs at each rung");
        }
    }
}
