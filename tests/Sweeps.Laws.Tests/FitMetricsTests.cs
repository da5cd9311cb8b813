namespace Sweeps.Laws.Tests;

public class FitMetricsTests
{
    [Fact]
    public void Metrics_of_a_small_example_match_hand_computed_values()
    {
        var metrics = FitMetrics.Of([1.0, 2.0, 3.0], [1.0, 2.0, 4.0]);

        Assert.Equal(0.5, metrics.R2, 1e-15);        // 1 − 1/2
        Assert.Equal(1.0 / 3, metrics.Mae, 1e-15);
        Assert.Equal(Math.Sqrt(1.0 / 3), metrics.Rmse, 1e-15);
        Assert.Equal(1.0 / 9, metrics.PredE, 1e-15); // (0 + 0 + 1/3)/3
        Assert.Equal(1.0 / 3, metrics.WorstE, 1e-15);
        Assert.Equal(1e-3 * (Math.Log(4.0 / 3) - 0.5e-3) / 3, metrics.Huber, 1e-15);
    }

    [Fact]
    public void Huber_derivative_matches_finite_differences()
    {
        foreach (var r in new[] { -0.5, -1e-3 / 2, 0.0, 2e-4, 0.3 })
        {
            const double h = 1e-9;
            var numeric = (Huber.Loss(r + h, 1e-3) - Huber.Loss(r - h, 1e-3)) / (2 * h);
            Assert.Equal(numeric, Huber.Derivative(r, 1e-3), 1e-6);
        }
    }
}
