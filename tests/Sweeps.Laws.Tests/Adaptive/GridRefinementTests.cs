using Sweeps.Laws.Adaptive;

namespace Sweeps.Laws.Tests.Adaptive;

public class GridRefinementTests
{
    /// <summary>A loss curve over peak LR with its minimum at <paramref name="optimum"/>, quadratic in log10 LR (NaN: diverged).</summary>
    private static List<FinalLossPoint> Curve(double optimum, params double[] peakLrs) =>
        [.. peakLrs.Select(lr => new FinalLossPoint(64, 1000, lr, 0, "cosine", 0, lr > 1 ? double.NaN : 2 + Math.Pow(Math.Log10(lr / optimum), 2)))];

    [Fact]
    public void An_optimum_at_the_grid_edge_gets_the_next_peak_lr_one_grid_step_beyond()
    {
        var high = GridRefinement.Next(Curve(0.5, 0.01, 0.02, 0.04), [], 0.1);
        var low = GridRefinement.Next(Curve(0.001, 0.01, 0.03), [], 0.1);

        Assert.Equal(0.08, Assert.Single(high).PeakLr, 12);
        Assert.Contains("highest", high[0].Reason);
        Assert.Equal(0.01 / 3, Assert.Single(low).PeakLr, 12);
    }

    [Fact]
    public void A_wide_bracket_is_halved_in_log_lr_and_a_resolved_one_gets_nothing()
    {
        var wide = GridRefinement.Next(Curve(0.1, 0.025, 0.1, 0.4), [], 0.1);
        var resolved = GridRefinement.Next(Curve(0.1, 0.089, 0.1, 0.112), [], 0.1);

        Assert.Equal([0.05, 0.2], wide.Select(a => Math.Round(a.PeakLr, 12)));
        Assert.Empty(resolved);
    }

    [Fact]
    public void A_diverged_neighbour_gets_the_midpoint_towards_it_and_a_stopped_runs_prediction_counts_as_a_neighbour()
    {
        var diverged = GridRefinement.Next(Curve(0.9, 0.2, 0.8, 3.2), [], 0.1); // 3.2 diverged
        var predicted = GridRefinement.Next(Curve(0.1, 0.089, 0.1), Curve(0.1, 0.112), 0.1);

        Assert.Equal(Math.Sqrt(0.8 * 3.2), Assert.Single(diverged).PeakLr, 12);
        Assert.Contains("diverged", diverged[0].Reason);
        Assert.Empty(predicted);
    }
}
