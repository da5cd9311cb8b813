namespace Sweeps.Laws.Tests;

public class OptimalLrScalingIntervalTests
{
    private static readonly double[] ModelSizes = [32, 128, 512, 2048];
    private static readonly int[] Horizons = [250, 1000, 4000];

    private static List<OptimalLrPoint> Optima(OptimalLrScaling.Parameters truth, double logNoise, Random random) =>
        (from n in ModelSizes
         from t in Horizons
         let eta = truth.Predict(n, t) * Math.Exp(logNoise * Gaussian(random))
         select new OptimalLrPoint(n, t, eta, 1.0, eta, 1.0, "cosine", 0, AtGridEdge: false)).ToList();

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void The_95_percent_intervals_cover_the_true_exponents_95_percent_of_the_time()
    {
        // With Gaussian noise in log η* the t-intervals are exact: over many independent sweeps the
        // truth lies inside each interval with probability 0.95 (binomial sd over 2000 trials ≈ 0.005).
        var truth = new OptimalLrScaling.Parameters(2.0, -0.35, -0.5);
        var random = new Random(11);
        const int trials = 2000;
        int coverA = 0, coverB = 0, coverC = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            var intervals = OptimalLrScaling.ConfidenceIntervals(Optima(truth, 0.15, random));
            coverA += intervals["a"][0] <= truth.A && truth.A <= intervals["a"][1] ? 1 : 0;
            coverB += intervals["b"][0] <= truth.B && truth.B <= intervals["b"][1] ? 1 : 0;
            coverC += intervals["c"][0] <= truth.C && truth.C <= intervals["c"][1] ? 1 : 0;
        }

        Assert.InRange(coverA / (double)trials, 0.93, 0.97);
        Assert.InRange(coverB / (double)trials, 0.93, 0.97);
        Assert.InRange(coverC / (double)trials, 0.93, 0.97);
    }

    [Fact]
    public void An_interval_is_centred_on_the_estimate_and_is_the_t_quantile_times_the_standard_error()
    {
        // Four points, three coefficients: one residual degree of freedom, t(1) at 0.975 = 12.7062.
        // Exponents exact except one point, whose log is off by δ: the residual is computable by hand.
        // Design rows (1, ln N, ln T) for N ∈ {10, 100}, T ∈ {10, 100}; a perturbation δ at (100, 100)
        // projects onto the residual space spanned by r = (1, −1, −1, 1)/2, so the residual sum of
        // squares is (δ/2)², and (XᵀX)⁻¹ for a is 1/(ln 10)² (the balanced 2×2 design).
        var truth = new OptimalLrScaling.Parameters(1.0, -0.5, -0.25);
        const double delta = 0.2;
        var optima = (from n in new[] { 10.0, 100 }
                      from t in new[] { 10, 100 }
                      let eta = truth.Predict(n, t) * (n == 100 && t == 100 ? Math.Exp(delta) : 1)
                      select new OptimalLrPoint(n, t, eta, 1, eta, 1, "cosine", 0, false)).ToList();

        var (fit, _, _) = OptimalLrScaling.Fit(optima);
        var intervals = OptimalLrScaling.ConfidenceIntervals(optima);

        var standardError = Math.Sqrt(delta * delta / 4 / 1) / Math.Log(10);
        Assert.Equal(fit!.A - 12.7062047362 * standardError, intervals["a"][0], 1e-9);
        Assert.Equal(fit.A + 12.7062047362 * standardError, intervals["a"][1], 1e-9);
        Assert.Equal(Math.Log(fit.C), (Math.Log(intervals["c"][0]) + Math.Log(intervals["c"][1])) / 2, 1e-9);
    }

    [Fact]
    public void No_intervals_without_a_fit()
    {
        var three = Optima(new OptimalLrScaling.Parameters(1, -0.5, -0.5), 0, new Random(1)).Take(3).ToList();
        Assert.Empty(OptimalLrScaling.ConfidenceIntervals(three));
    }

    // η* at a new scale: the regression's prediction interval, and the convex bound's fixed 1/√T.

    [Fact]
    public void The_95_percent_prediction_interval_covers_a_new_optimum_at_8x_size_and_horizon_95_percent_of_the_time()
    {
        // Exact for Gaussian noise in log η*: a new optimum drawn at (8·2048, 8·4000) with the same noise
        // falls inside the interval with probability 0.95 (binomial sd over 2000 trials ≈ 0.005).
        var truth = new OptimalLrScaling.Parameters(2.0, -0.35, -0.5);
        var random = new Random(5);
        const int trials = 2000;
        var covered = 0;
        for (var trial = 0; trial < trials; trial++)
        {
            var (_, interval, _, problem) = OptimalLrScaling.Predict(Optima(truth, 0.15, random), 8 * 2048, 8 * 4000);
            Assert.Null(problem);
            var fresh = truth.Predict(8 * 2048, 8 * 4000) * Math.Exp(0.15 * Gaussian(random));
            covered += interval[0] <= fresh && fresh <= interval[1] ? 1 : 0;
        }

        Assert.InRange(covered / (double)trials, 0.93, 0.97);
    }

    [Fact]
    public void Without_noise_the_prediction_is_the_power_law_itself()
    {
        var truth = new OptimalLrScaling.Parameters(0.02, -0.1, -0.25);
        var (lr, interval, fit, _) = OptimalLrScaling.Predict(Optima(truth, 0, new Random(1)), 3.2e9, 96_000);
        Assert.Equal(truth.Predict(3.2e9, 96_000), lr, truth.Predict(3.2e9, 96_000) * 1e-9);
        Assert.Equal(lr, interval[0], lr * 1e-6);
        Assert.Equal(-0.25, fit.B, 1e-9);
    }

    [Fact]
    public void The_convex_bound_fixes_the_horizon_exponent_at_minus_one_half_and_fits_the_rest()
    {
        // Optima that follow η* ∝ N^−0.3 · T^−1/2 exactly: the bound's fit recovers c and a; data with
        // another T exponent give a different answer than the free regression.
        var convex = new OptimalLrScaling.Parameters(1.5, -0.3, -0.5);
        var (lr, _, fit, _) = OptimalLrScaling.Predict(Optima(convex, 0, new Random(1)), 1e4, 1e5, horizonExponent: -0.5);
        Assert.Equal(1.5, fit.C, 1e-9);
        Assert.Equal(-0.3, fit.A, 1e-9);
        Assert.Equal(convex.Predict(1e4, 1e5), lr, lr * 1e-9);

        var shallow = Optima(new OptimalLrScaling.Parameters(1.5, -0.3, -0.25), 0, new Random(1));
        var free = OptimalLrScaling.Predict(shallow, 1e4, 1e5).PeakLr;
        var bound = OptimalLrScaling.Predict(shallow, 1e4, 1e5, horizonExponent: -0.5).PeakLr;
        Assert.True(bound < free / 2, $"the 1/√T law should fall faster in T: {bound} vs {free}");
    }

    [Fact]
    public void Too_few_interior_optima_give_a_reason_not_a_number()
    {
        var three = Optima(new OptimalLrScaling.Parameters(1, -0.5, -0.5), 0, new Random(1)).Take(3).ToList();
        var (lr, _, _, problem) = OptimalLrScaling.Predict(three, 1e4, 1e5);
        Assert.True(double.IsNaN(lr));
        Assert.Contains("at least 4 interior optima", problem);
    }
}
