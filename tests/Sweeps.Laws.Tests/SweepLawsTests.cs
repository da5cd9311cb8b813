namespace Sweeps.Laws.Tests;

public class SweepLawsTests
{
    [Fact]
    public void Chinchilla_is_fitted_to_the_best_loss_of_each_scale()
    {
        // Losses follow L(N, T) at the best LR (0.1) and are worse elsewhere; the fit must see only the best.
        var truth = new ChinchillaParameters(1.0, 5.0, 0.5, 8.0, 0.4);
        var points = (from n in new[] { 10.0, 40, 160, 640 }
                      from t in new[] { 100, 400, 1600 }
                      from lr in new[] { 0.05, 0.1, 0.2 }
                      select new FinalLossPoint(n, t, lr, 0, "cosine", 0, truth.Predict(n, t) * (lr == 0.1 ? 1 : 1.2))).ToList();

        var report = Assert.Single(SweepLaws.Fit(["chinchilla"], points));

        Assert.Equal(12, report.Points);
        Assert.Equal(0.5, report.Parameters["alpha"], 1e-3);
        Assert.Equal(0.4, report.Parameters["beta"], 1e-3);
    }

    [Fact]
    public void Sweep_fits_carry_intervals_that_hold_their_estimates_and_a_spec_can_turn_the_bootstrap_off()
    {
        var truth = new ChinchillaParameters(1.0, 5.0, 0.5, 8.0, 0.4);
        var random = new Random(5);
        var points = (from n in new[] { 10.0, 40, 160, 640 }
                      from t in new[] { 100, 400, 1600 }
                      from lr in new[] { 0.025, 0.05, 0.1, 0.2, 0.4 }
                      select new FinalLossPoint(n, t, lr, 0, "cosine", 0,
                          truth.Predict(n, t) * (1 + 0.005 * (random.NextDouble() - 0.5)) * (1 + 2 * Math.Pow(Math.Log(lr / 0.1), 2)))).ToList();

        var fits = SweepLaws.Fit(["chinchilla", "optimal_lr"], points);

        foreach (var fit in fits)
        {
            Assert.Equal(fit.Parameters.Keys.Order(), fit.Intervals.Keys.Order());
            foreach (var (name, value) in fit.Parameters)
            {
                Assert.InRange(value, fit.Intervals[name][0], fit.Intervals[name][1]);
            }
        }

        Assert.InRange(truth.Alpha, fits[0].Intervals["alpha"][0], fits[0].Intervals["alpha"][1]);
        Assert.Empty(SweepLaws.Fit(["chinchilla"], points, bootstrap: 0)[0].Intervals);
        // The same resamples every time: intervals are deterministic.
        Assert.Equal(fits[0].Intervals["E"], SweepLaws.Fit(["chinchilla"], points)[0].Intervals["E"]);
    }
}
