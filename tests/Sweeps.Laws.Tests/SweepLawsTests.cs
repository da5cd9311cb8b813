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
}
