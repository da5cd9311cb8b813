using Sweeps.Core.Schedules;
using Sweeps.Laws.ScheduleSearch;

namespace Sweeps.Kernels.Tests;

public class RandomFeatureTests
{
    private static readonly RandomFeature Kernel = new();

    private static Dictionary<string, double> Options(double capacity = 1.5, double source = 2.0, double noise = 0.0, double batch = 1) => new()
    {
        ["capacity"] = capacity,
        ["source"] = source,
        ["noise"] = noise,
        ["batch_size"] = batch,
    };

    private static double[] Constant(double eta, int steps) => Enumerable.Repeat(eta, steps).ToArray();

    [Fact]
    public void The_recursion_matches_monte_carlo_sgd_on_gaussian_features()
    {
        // Independent reference: real mini-batch SGD on y = xᵀw* + ξ with x ~ N(0, diag(k^(−b))) for the
        // N learnable features; the features beyond N and the label noise are independent Gaussians
        // together, so they enter as ξ ~ N(0, ζ(a, N+1) + σ²). For Gaussian features the diagonal of
        // E[(w − w*)(w − w*)ᵀ] obeys the kernel's recursion exactly.
        const int n = 4, steps = 30, batch = 2, paths = 40_000;
        const double capacity = 1.5, source = 2.0, sigma2 = 0.2;
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Cosine, PeakLr = 0.5, FinalLr = 0.05, WarmupSteps = 3, TotalSteps = steps });
        var exact = Kernel.Run(new KernelRun(lr, n, 0, Options(capacity, source, sigma2, batch), CurvePoints: steps + 1)).FinalLoss;

        var tail = PowerSums.Tail(source, n + 1);
        var lambda = Enumerable.Range(1, n).Select(k => Math.Pow(k, -capacity)).ToArray();
        var target = Enumerable.Range(1, n).Select(k => Math.Sqrt(Math.Pow(k, capacity - source))).ToArray();
        var random = new Random(2024);
        double sum = 0, sumSquares = 0;
        var w = new double[n];
        var x = new double[n];
        var gradient = new double[n];
        for (var p = 0; p < paths; p++)
        {
            Array.Clear(w);
            foreach (var eta in lr)
            {
                Array.Clear(gradient);
                for (var b = 0; b < batch; b++)
                {
                    var residual = -Math.Sqrt(tail + sigma2) * Gaussian(random); // xᵀw − y, the unlearnable part first
                    for (var k = 0; k < n; k++)
                    {
                        x[k] = Math.Sqrt(lambda[k]) * Gaussian(random);
                        residual += x[k] * (w[k] - target[k]);
                    }

                    for (var k = 0; k < n; k++)
                    {
                        gradient[k] += x[k] * residual / batch;
                    }
                }

                for (var k = 0; k < n; k++)
                {
                    w[k] -= eta * gradient[k];
                }
            }

            var loss = 0.5 * (tail + sigma2);
            for (var k = 0; k < n; k++)
            {
                loss += 0.5 * lambda[k] * (w[k] - target[k]) * (w[k] - target[k]);
            }

            sum += loss;
            sumSquares += loss * loss;
        }

        var mean = sum / paths;
        var standardError = Math.Sqrt((sumSquares / paths - mean * mean) / paths);
        Assert.InRange(exact, mean - 4 * standardError, mean + 4 * standardError);
    }

    [Fact]
    public void Under_gradient_flow_the_loss_falls_as_a_power_of_time_with_exponent_source_minus_one_over_capacity()
    {
        // Digest: L(t) − L∞ ~ (ηt)^(−(a−1)/b) at small η without noise (a huge batch removes the SGD
        // noise). Enough features that the model's edge does not cut the still-unlearned tail short
        // (with 4,000 the exponent over this window would read 0.706; with 2^16 the sum gives 0.669).
        const double capacity = 1.5, source = 2.0, eta = 0.2;
        const int n = 1 << 16;
        var result = Kernel.Run(new KernelRun(Constant(eta, 20_000), n, 0, Options(capacity, source, batch: 1e9), CurvePoints: 11));
        var floor = 0.5 * PowerSums.Tail(source, n + 1);
        double early = KernelAssert.LossAt(result.Curve, 2048) - floor, late = KernelAssert.LossAt(result.Curve, 20_000) - floor;
        var exponent = -Math.Log(late / early) / Math.Log(20_000 / 2048.0);

        Assert.Equal((source - 1) / capacity, exponent, 0.01);
    }

    [Fact]
    public void Without_noise_each_mode_contracts_by_one_minus_eta_lambda_squared_per_step()
    {
        // Closed form with σ² = 0 and B → ∞: e_k(t) = (1 − ηλ_k)^(2t) k^(b−a), so
        // L(t) = ½ Σ_{k≤N} k^(−a)(1 − ηλ_k)^(2t) + ½ ζ(a, N+1).
        const int n = 40, t = 500;
        const double capacity = 1.3, source = 1.8, eta = 0.9;
        var result = Kernel.Run(new KernelRun(Constant(eta, t), n, 0, Options(capacity, source, batch: 1e12)));

        var expected = 0.5 * PowerSums.Tail(source, n + 1);
        for (var k = 1; k <= n; k++)
        {
            expected += 0.5 * Math.Pow(k, -source) * Math.Pow(1 - eta * Math.Pow(k, -capacity), 2 * t);
        }

        Assert.Equal(expected, result.FinalLoss, 1e-10);
        Assert.Equal(0.5 * PowerSums.Tail(source, 1), result.Curve.Loss[0], 1e-12); // all of ζ(a) at step 0
    }

    [Fact]
    public void With_label_noise_the_loss_settles_at_a_floor_that_grows_with_the_lr()
    {
        // Stationary point of the recursion: e_k = s(P + σ² + τ)/(1 − (1 − ηλ_k)² − sλ_k²)·λ_k with s = η²/B,
        // so P solves P = s(P + σ² + τ)·Σ_k λ_k²/(2ηλ_k − η²λ_k² − sλ_k²), a closed form for P.
        const int n = 8;
        const double sigma2 = 0.5, batch = 4;
        foreach (var eta in new[] { 0.05, 0.1, 0.2 })
        {
            var result = Kernel.Run(new KernelRun(Constant(eta, 60_000), n, 0, Options(noise: sigma2, batch: batch)));
            var tail = PowerSums.Tail(2.0, n + 1);
            var s = eta * eta / batch;
            var g = Enumerable.Range(1, n).Select(k => Math.Pow(k, -1.5)).Sum(l => l * l / (2 * eta * l - eta * eta * l * l - s * l * l));
            var power = s * (sigma2 + tail) * g / (1 - s * g);
            Assert.Equal(0.5 * (power + sigma2 + tail), result.FinalLoss, 1e-9);
        }
    }

    [Theory]
    [InlineData(1, 50, 1.5, 2.0, 1)]
    [InlineData(7, 300, 1.2, 1.5, 3)]
    [InlineData(257, 1000, 2.0, 3.0, 16)]
    [InlineData(4096, 200, 1.1, 1.3, 1)]
    public void Simd_path_matches_the_scalar_reference(int n, int steps, double capacity, double source, double batch)
    {
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Wsd, PeakLr = 0.6, FinalLrRatio = 0.01, DecayFraction = 0.3, WarmupSteps = steps / 10, TotalSteps = steps });
        var run = new KernelRun(lr, n, 7, Options(capacity, source, 0.1, batch));
        KernelAssert.SimdMatchesScalar(Kernel, run, 1e-9);
    }

    [Fact]
    public void An_lr_beyond_the_stability_limit_diverges_and_keeps_the_curve_up_to_it()
    {
        var result = Kernel.Run(new KernelRun(Constant(2.5, 2000), 64, 0, Options()));
        Assert.Equal(RunOutcome.Diverged, result.Outcome);
        Assert.True(double.IsNaN(result.FinalLoss));
        Assert.True(result.Curve.Steps[^1] < 2000);
    }

    [Fact]
    public void The_same_run_gives_the_same_bits_every_time_and_the_catalog_knows_it()
    {
        var run = new KernelRun(Constant(0.3, 500), 100, 1, Options(noise: 0.1));
        Assert.Equal(Kernel.Run(run).Curve.Loss, Kernel.Run(run).Curve.Loss);
        Assert.Same(typeof(RandomFeature), KernelCatalog.Default.Get("random-feature").GetType());
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

public class RandomFeatureScheduleTests
{
    private static Dictionary<string, double> Options(double capacity, double source) => new()
    {
        ["capacity"] = capacity,
        ["source"] = source,
        ["noise"] = 0.5,
        ["batch_size"] = 1,
    };

    [Fact]
    public void The_adjoint_gradient_matches_finite_differences_and_the_loss_matches_the_kernel()
    {
        var options = Options(1.5, 2.0);
        var lr = Enumerable.Range(0, 60).Select(t => 0.4 * (1 - t / 80.0)).ToArray();
        var law = new RandomFeatureFinalLoss(8, options);
        var gradient = new double[lr.Length];
        var loss = law.Evaluate(lr, gradient);

        Assert.Equal(new RandomFeature().RunScalar(new KernelRun(lr, 8, 0, options)).FinalLoss, loss, 1e-13);
        foreach (var t in new[] { 0, 1, 30, 58, 59 })
        {
            var (up, down) = ((double[])lr.Clone(), (double[])lr.Clone());
            up[t] += 1e-6;
            down[t] -= 1e-6;
            var numeric = (law.Evaluate(up, []) - law.Evaluate(down, [])) / 2e-6;
            Assert.Equal(numeric, gradient[t], 1e-6 * Math.Max(1, Math.Abs(numeric)));
        }
    }

    [Fact]
    public void The_optimal_schedule_decays_polynomially_in_the_easy_phase_and_is_warmup_stable_decay_in_the_hard_phase()
    {
        // The paper's two regimes, found by optimising every step's LR against the model itself
        // (per-step descent with the adjoint gradient). Easy (source a > capacity b): drop at once to a
        // fraction of the largest stable LR and keep decaying all along. Hard (a < b): hold the peak,
        // then anneal over the last part of training.
        ScheduleOptimization Optimal(double capacity, double source)
        {
            var law = new RandomFeatureFinalLoss(256, Options(capacity, source));
            var problem = new ScheduleProblem(1000, 0.5, 0);
            var start = problem.Baseline(new ScheduleSpec { Kind = ScheduleKind.Cosine, FinalLrRatio = 0.1 });
            var optimum = MonotoneDescent.Optimize((lr, g) => law.Evaluate(lr, g), problem, start, 100);
            Assert.True(optimum.PredictedFinalLoss < law.Evaluate(start, []) && optimum.PredictedFinalLoss < law.Evaluate(problem.ConstantAfterWarmup(), []));
            return optimum;
        }

        var easy = Optimal(capacity: 1.5, source: 3.0).LearningRates;
        Assert.True(easy[100] < 0.3 * 0.5, $"easy: η(0.1T) = {easy[100]}");
        Assert.True(easy[500] < 0.6 * easy[100] && easy[900] < 0.5 * easy[500], $"easy: η(0.5T) = {easy[500]}, η(0.9T) = {easy[900]}");

        var hard = Optimal(capacity: 2.5, source: 1.25).LearningRates;
        Assert.True(hard[500] > 0.9 * 0.5, $"hard: η(0.5T) = {hard[500]}");
        Assert.True(hard[950] < 0.1 * 0.5, $"hard: η(0.95T) = {hard[950]}");
    }
}
