using Sweeps.Core.Grid;
using Sweeps.Core.Specs;

namespace Sweeps.Core.Tests;

public class DispatchOrderTests
{
    /// <summary>2 sizes × 2 horizons (listed long first) × 2 schedules × 3 peak LRs × 2 seeds = 48 runs.</summary>
    private static SweepGrid Grid(string adaptive = "adaptive: {stop: asha}") => new(new SweepSpecParser(new TestCatalog()).Parse($"""
        name: order
        simulator: quadratic
        grid:
          peak_lr: [0.01, 0.1, 1.0]
          model_size: [8, 32]
          total_steps: [900, 300]
          schedule: [cosine, constant]
        seeds: 2
        {adaptive}
        """).Spec!);

    [Fact]
    public void A_stopping_sweep_starts_short_horizons_first_then_first_seeds_with_model_sizes_innermost()
    {
        var grid = Grid();
        var runs = DispatchOrder.For(grid)!.Indices().Select(grid.RunAt).ToList();

        // Every run once.
        Assert.Equal(Enumerable.Range(0, 48).Select(i => (long)i), runs.Select(r => r.Index).Order());
        // Read as nested loops, outermost first: horizon (shortest first), seed, schedule, peak LR, model size.
        var expected =
            from totalSteps in new[] { 300, 900 }
            from seed in new[] { 0, 1 }
            from schedule in new[] { "cosine", "constant" }
            from peakLr in new[] { 0.01, 0.1, 1.0 }
            from modelSize in new[] { 8.0, 32.0 }
            select (totalSteps, seed, schedule, peakLr, modelSize);
        Assert.Equal(expected, runs.Select(r => (r.TotalSteps, (int)r.Seed, r.ScheduleName, r.PeakLr, r.ModelSize)));
    }

    [Fact]
    public void Every_other_sweep_runs_in_index_order()
    {
        Assert.Null(DispatchOrder.For(Grid("")));
        Assert.Null(DispatchOrder.For(Grid("adaptive: {refine: {}}")));
    }
}
