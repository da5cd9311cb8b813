namespace Sweeps.Laws.Tests;

public class OptimalLearningRateTests
{
    private static double Parabola(double lr, double best, double curvature, double floor) =>
        floor + curvature * Math.Pow(Math.Log(lr) - Math.Log(best), 2);

    [Fact]
    public void A_loss_quadratic_in_log_lr_gives_its_exact_vertex()
    {
        var grid = new[] { 0.01, 0.02, 0.04, 0.08, 0.16, 0.32 };
        var points = grid.Select(lr => new FinalLossPoint(100, 1000, lr, 0, "cosine", 0, Parabola(lr, 0.07, 0.3, 2.0))).ToList();

        var optimum = Assert.Single(OptimalLearningRate.FromGrid(points));

        Assert.False(optimum.AtGridEdge);
        Assert.Equal(0.07, optimum.PeakLr, 1e-12);
        Assert.Equal(2.0, optimum.Loss, 1e-12);
        Assert.Equal(0.08, optimum.GridPeakLr);
    }

    [Fact]
    public void Each_scale_gets_its_own_optimum_from_the_best_schedule_averaged_over_seeds()
    {
        var points = new List<FinalLossPoint>();
        foreach (var lr in new[] { 0.1, 0.2, 0.4, 0.8 })
        {
            foreach (var seed in new[] { 0, 1 })
            {
                var noise = seed == 0 ? 0.01 : -0.01; // cancels in the seed mean
                points.Add(new(10, 100, lr, 0, "cosine", seed, Parabola(lr, 0.3, 1, 3) + noise));
                points.Add(new(10, 100, lr, 0, "constant", seed, Parabola(lr, 0.3, 1, 3) + 0.5));
                points.Add(new(20, 100, lr, 0, "cosine", seed, Parabola(lr, 0.15, 1, 2) + noise));
            }
        }

        var optima = OptimalLearningRate.FromGrid(points);

        Assert.Equal(2, optima.Count);
        Assert.Equal(0.3, optima[0].PeakLr, 1e-9);
        Assert.Equal("cosine", optima[0].Schedule);
        Assert.Equal(0.15, optima[1].PeakLr, 1e-9);
    }

    [Fact]
    public void A_minimum_at_the_end_of_the_grid_is_flagged()
    {
        var points = new[] { 0.1, 0.2, 0.4 }.Select(lr => new FinalLossPoint(1, 10, lr, 0, "c", 0, 1 / lr)).ToList();
        var optimum = Assert.Single(OptimalLearningRate.FromGrid(points));
        Assert.True(optimum.AtGridEdge);
        Assert.Equal(0.4, optimum.PeakLr);
    }

    [Fact]
    public void Diverged_runs_are_ignored()
    {
        var points = new[] { 0.1, 0.2, 0.4 }.Select(lr => new FinalLossPoint(1, 10, lr, 0, "c", 0, Parabola(lr, 0.2, 1, 1)))
            .Append(new FinalLossPoint(1, 10, 0.8, 0, "c", 0, double.NaN)).ToList();
        Assert.Equal(0.2, Assert.Single(OptimalLearningRate.FromGrid(points)).PeakLr, 1e-12);
    }

    [Fact]
    public void The_optimum_is_interpolated_within_one_schedule_never_across_schedules_or_a_diverged_neighbour()
    {
        // The case in small: WSD is best at 0.4525 but diverges at 0.64; the polynomial
        // schedule is far worse at 0.32. Mixing them made a parabola whose "loss at η*" was negative.
        var points = new List<FinalLossPoint>
        {
            new(2048, 64000, 0.32, 0, "wsd", 0, 0.90),
            new(2048, 64000, 0.4525, 0, "wsd", 0, 0.10),
            new(2048, 64000, 0.64, 0, "wsd", 0, double.NaN),
            new(2048, 64000, 0.32, 0, "poly", 0, 0.95),
            new(2048, 64000, 0.4525, 0, "poly", 0, 0.50),
            new(2048, 64000, 0.64, 0, "poly", 0, 0.20),
        };

        var optimum = Assert.Single(OptimalLearningRate.FromGrid(points));

        Assert.Equal("wsd", optimum.Schedule);
        Assert.True(optimum.AtGridEdge); // its right neighbour diverged: not bracketed, flagged
        Assert.Equal(0.4525, optimum.PeakLr);
        Assert.Equal(0.10, optimum.Loss);
    }
}

public class OptimalLrScalingTests
{
    [Fact]
    public void Optima_on_an_exact_power_law_give_back_its_coefficients()
    {
        // η* = 0.5 · N^−0.3 · T^−0.25, read off exact parabolas in log LR at each scale.
        var points = new List<FinalLossPoint>();
        var grid = Enumerable.Range(0, 12).Select(i => 1e-4 * Math.Pow(2, i)).ToArray();
        foreach (var n in new[] { 10.0, 100, 1000 })
        {
            foreach (var t in new[] { 100, 1000, 10000 })
            {
                var best = 0.5 * Math.Pow(n, -0.3) * Math.Pow(t, -0.25);
                points.AddRange(grid.Select(lr => new FinalLossPoint(n, t, lr, 0, "cosine", 0, 2 + Math.Pow(Math.Log(lr / best), 2))));
            }
        }

        var report = Assert.Single(SweepLaws.Fit(["optimal_lr"], points));

        Assert.Equal(0.5, report.Parameters["c"], 1e-9);
        Assert.Equal(-0.3, report.Parameters["a"], 1e-9);
        Assert.Equal(-0.25, report.Parameters["b"], 1e-9);
        Assert.Equal(9, report.OptimalLr.Count);
    }

    [Fact]
    public void Too_few_interior_optima_give_a_warning_and_no_coefficients()
    {
        var points = new[] { 0.1, 0.2, 0.4 }.Select(lr => new FinalLossPoint(1, 10, lr, 0, "c", 0, Math.Pow(Math.Log(lr / 0.2), 2))).ToList();
        var report = Assert.Single(SweepLaws.Fit(["optimal_lr"], points));
        Assert.Empty(report.Parameters);
        Assert.Contains(report.Warnings, w => w.Contains("needs at least 4 interior optima"));
    }
}
