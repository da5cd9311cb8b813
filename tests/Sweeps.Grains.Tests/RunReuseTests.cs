using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Core.Specs;
using Sweeps.Kernels;
using Sweeps.Tests;

namespace Sweeps.Grains.Tests;

/// <summary>A sweep reads the runs another sweep of the same store finished (same content), instead of running them again.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RunReuseTests(ClusterFixture fixture)
{
    /// <summary>A seed no other test runs, so that only this test's sweeps hold these runs.</summary>
    private static SweepSpec Spec(string name, string peakLrs, string extra = "", int seed = 11) => new SweepSpecParser(KernelCatalog.Default).Parse($"""
        name: {name}
        simulator: quadratic
        grid:
          peak_lr: {peakLrs}
          model_size: [32, 128]
          total_steps: [300, 900]
        seeds: [{seed}]
        concurrency: 2
        laws: []
        {extra}
        """).Spec ?? throw new InvalidOperationException("test spec is invalid");

    [Fact]
    public async Task A_grid_extended_by_one_peak_lr_runs_one_column_and_reads_the_rest_from_the_first_sweep()
    {
        var first = await fixture.CompleteAsync("reuse-first", Spec("reuse", "[0.02, 0.1, 0.5]"));
        var extended = Spec("reuse-extended", "[0.02, 0.1, 0.5, 1.0]");

        var status = await fixture.CompleteAsync("reuse-extended", extended);

        Assert.Equal(0, first.ReusedRuns);
        Assert.Equal(12, status.ReusedRuns);
        var grid = new SweepGrid(extended);
        var results = await RunResults.Of(fixture.Grains, "reuse-extended", grid, [.. Enumerable.Range(0, 16).Select(i => (long)i)]);
        var firstRuns = (await fixture.Grains.GetGrain<ISweepGrain>("reuse-first").GetAllRunsAsync()).ToDictionary(r => RunContent.KeyOf(Spec("reuse", "[0.02, 0.1, 0.5]"), new SweepGrid(Spec("reuse", "[0.02, 0.1, 0.5]")).RunAt(r.Index)));
        foreach (var result in results)
        {
            var run = grid.RunAt(result!.Index);
            if (run.PeakLr == 1.0)
            {
                Assert.Null(result.ReusedFrom); // the new column ran here
                continue;
            }

            // Read from the first sweep's run of the same content, with its very result.
            var original = firstRuns[RunContent.KeyOf(extended, run)];
            Assert.Equal(RunKeys.Of("reuse-first", RunDefinition.IdOf(original.Index)), result.ReusedFrom);
            Assert.Equal(original.FinalLoss, result.FinalLoss);
            Assert.Equal(run.Index, result.Index);
        }
    }

    [Fact]
    public async Task Only_runs_that_ran_to_the_end_are_reused_not_those_stopped_early()
    {
        var stopping = await fixture.CompleteAsync("reuse-stopping", Spec("reuse-stopping", "{log_space: [0.02, 1.5], points: 5}", "adaptive: {stop: asha}", seed: 12));
        Assert.True(stopping.Counts.GetValueOrDefault(RunStatus.Stopped) > 0);

        var full = await fixture.CompleteAsync("reuse-after-stopping", Spec("reuse-after-stopping", "{log_space: [0.02, 1.5], points: 5}", seed: 12));

        Assert.Equal(stopping.Counts[RunStatus.Succeeded], full.ReusedRuns);
        Assert.Equal(20, full.Counts[RunStatus.Succeeded]);
    }

    [Fact]
    public async Task Runs_a_refining_sweep_added_to_its_grid_are_reused_like_its_grids_own()
    {
        // From [0.01, 0.02], far below the optimum, refinement first adds 0.04 (one grid step beyond the edge).
        var refining = await fixture.CompleteAsync("reuse-refining", Spec("reuse-refining", "[0.01, 0.02]", "adaptive: {refine: {until: 0.5, max_added_runs: 8}}", seed: 13));
        Assert.True(refining.AddedRuns >= 4);

        var extended = await fixture.CompleteAsync("reuse-after-refining", Spec("reuse-after-refining", "[0.01, 0.02, 0.04]", seed: 13));

        Assert.Equal(12, extended.ReusedRuns); // the grid's 8 runs and the 4 refinement added at 0.04
    }
}
