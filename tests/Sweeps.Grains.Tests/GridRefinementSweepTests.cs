using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Core.Specs;
using Sweeps.Kernels;
using Sweeps.Laws;
using Sweeps.Tests;

namespace Sweeps.Grains.Tests;

/// <summary>
/// A sweep that refines its grid (<c>adaptive.refine</c>): started with two peak LRs far below the optimum,
/// it adds peak LRs until each optimum is bracketed within <c>until</c>, and finds the optimum a dense grid
/// finds, at a fraction of its runs.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GridRefinementSweepTests(ClusterFixture fixture)
{
    private static SweepSpec Spec(string name, string peakLrs, string extra = "") => new SweepSpecParser(KernelCatalog.Default).Parse($"""
        name: {name}
        simulator: quadratic
        grid:
          peak_lr: {peakLrs}
          model_size: [32, 128]
          total_steps: [300]
          schedule: [cosine, constant]
        seeds: [21]
        concurrency: 4
        laws: [optimal_lr]
        {extra}
        """).Spec ?? throw new InvalidOperationException("test spec is invalid");

    [Fact]
    public async Task A_grid_far_from_the_optimum_is_extended_and_refined_until_each_optimum_is_resolved()
    {
        var dense = await fixture.CompleteAsync("refine-dense", Spec("refine-dense", "{log_space: [0.01, 1.9], points: 49}"));
        var spec = Spec("refine", "[0.01, 0.02]", "adaptive: {refine: {axis: peak_lr, until: 0.1, max_added_runs: 48}}");

        var refined = await fixture.CompleteAsync("refine-1", spec);

        var grown = new SweepGrid((await fixture.Grains.GetGrain<ISweepGrain>("refine-1").GetSpec())!);
        Assert.Equal(8, grown.GridCount);
        Assert.Equal(refined.AddedRuns, grown.Count - grown.GridCount);
        Assert.Equal(grown.Count, refined.Finished); // added runs are runs of the sweep, each recorded
        Assert.True(refined.AddedRuns < 48, $"{refined.AddedRuns} runs added: the budget ended the refinement, not the optima resolved");
        // Every added run is a whole column: both schedules at the new peak LR.
        Assert.All(grown.Runs().Skip(8).Chunk(2), column => Assert.Equal(["cosine", "constant"], column.Select(r => r.ScheduleName)));

        var optima = Assert.Single(refined.Fits, f => f.Law == KnownLaws.OptimalLr).OptimalLr;
        var reference = Assert.Single(dense.Fits, f => f.Law == KnownLaws.OptimalLr).OptimalLr;
        Assert.Equal(2, optima.Count);
        foreach (var optimum in optima)
        {
            Assert.False(optimum.AtGridEdge);
            var expected = reference.Single(r => r.ModelSize == optimum.ModelSize).PeakLr;
            // Resolved to a bracket of 0.1 in log10 LR: within half of it of the dense grid's optimum.
            Assert.InRange(Math.Abs(Math.Log10(optimum.PeakLr / expected)), 0, 0.05);
        }
    }
}
