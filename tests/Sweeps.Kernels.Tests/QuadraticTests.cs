using Sweeps.Core.Schedules;

namespace Sweeps.Kernels.Tests;

public class QuadraticTests
{
    private static readonly Quadratic Kernel = new();

    private static Dictionary<string, double> Options(double a = 1.0, double b = 1.5, double noise = 1.0, double batch = 1, double e = 1.0, double maxCurvature = 1.0) => new()
    {
        ["spectrum_exponent"] = a,
        ["target_exponent"] = b,
        ["noise"] = noise,
        ["batch_size"] = batch,
        ["irreducible_loss"] = e,
        ["max_curvature"] = maxCurvature,
    };

    private static double[] Constant(double eta, int steps) => Enumerable.Repeat(eta, steps).ToArray();

    [Fact]
    public void Without_noise_the_loss_contracts_by_one_minus_eta_lambda_squared_per_step()
    {
        // Closed form: u_i(t) = (1 − ηλ_i)^(2t) u_i(0), so L(t) = E + ½ Σ_{i≤N} i^(−b) (1 − ηλ_i)^(2t) + ½ ζ(b, N+1).
        const int n = 50, t = 300;
        const double eta = 0.7, a = 1.2, b = 1.7;
        var result = Kernel.Run(new KernelRun(Constant(eta, t), n, 0, Options(a, b, noise: 0, e: 0.5)));

        var expected = 0.5 + 0.5 * PowerSums.Tail(b, n + 1);
        for (var i = 1; i <= n; i++)
        {
            expected += 0.5 * Math.Pow(i, -b) * Math.Pow(1 - eta * Math.Pow(i, -a), 2 * t);
        }

        Assert.Equal(RunOutcome.Succeeded, result.Outcome);
        Assert.Equal(expected, result.FinalLoss, 1e-12);
        Assert.Equal(0.5 + 0.5 * PowerSums.Tail(b, 1), result.Curve.Loss[0], 1e-12); // all of ζ(b) at step 0
    }

    [Fact]
    public void At_constant_lr_the_loss_settles_at_the_sgd_noise_floor()
    {
        // Stationary second moment u* = η s/(λ(2 − ηλ)) with s = σ²λ/B, so each direction holds ½λu* = ησ²λ/(2B(2 − ηλ)).
        const int n = 16;
        const double eta = 0.5, sigma2 = 0.3, batch = 4;
        var result = Kernel.Run(new KernelRun(Constant(eta, 4000), n, 0, Options(noise: sigma2, batch: batch, e: 0)));

        var expected = 0.5 * PowerSums.Tail(1.5, n + 1);
        for (var i = 1; i <= n; i++)
        {
            var lambda = 1.0 / i;
            expected += eta * sigma2 * lambda / (2 * batch * (2 - eta * lambda));
        }

        Assert.Equal(expected, result.FinalLoss, 1e-12);
    }

    [Fact]
    public void The_recursion_matches_monte_carlo_sgd_with_gaussian_noise()
    {
        // Independent reference: real SGD paths x ← x − η(λx + z), z ~ N(0, σ²λ/B), averaged over many seeds.
        const int n = 4, steps = 40, paths = 40_000;
        const double sigma2 = 0.5;
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Cosine, PeakLr = 0.8, FinalLr = 0.08, WarmupSteps = 5, TotalSteps = steps });
        var exact = Kernel.Run(new KernelRun(lr, n, 0, Options(noise: sigma2, e: 0), CurvePoints: steps + 1)).FinalLoss;

        var random = new Random(12345);
        double sum = 0, sumSquares = 0;
        for (var p = 0; p < paths; p++)
        {
            var loss = 0.0;
            for (var i = 1; i <= n; i++)
            {
                var lambda = 1.0 / i;
                var x = Math.Sqrt(Math.Pow(i, -1.5) / lambda); // starts with loss ½ i^(−b)
                foreach (var eta in lr)
                {
                    x -= eta * (lambda * x + Math.Sqrt(sigma2 * lambda) * Gaussian(random));
                }

                loss += 0.5 * lambda * x * x;
            }

            sum += loss;
            sumSquares += loss * loss;
        }

        var mean = sum / paths;
        var standardError = Math.Sqrt((sumSquares / paths - mean * mean) / paths);
        var tail = 0.5 * PowerSums.Tail(1.5, n + 1);
        Assert.InRange(exact - tail, mean - 4 * standardError, mean + 4 * standardError);
    }

    [Theory]
    [InlineData(1, 100)]
    [InlineData(7, 333)]
    [InlineData(257, 1000)]
    [InlineData(1024, 2000)]
    public void Simd_path_matches_the_scalar_reference(int n, int steps)
    {
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Wsd, PeakLr = 0.9, FinalLrRatio = 0.1, WarmupSteps = 10, DecayFraction = 0.3, TotalSteps = steps });
        var run = new KernelRun(lr, n, 0, Options(a: 0.8, b: 1.3, noise: 2.0, batch: 3), CurvePoints: 64);
        KernelAssert.SimdMatchesScalar(Kernel, run, 1e-12);
    }

    [Fact]
    public void The_same_run_gives_the_same_bits_every_time()
    {
        var run = new KernelRun(Constant(0.3, 500), 300, 42, Options());
        Assert.Equal(Kernel.Run(run).Curve.Loss, Kernel.Run(run).Curve.Loss);
    }

    [Fact]
    public void An_lr_above_two_over_the_largest_curvature_diverges()
    {
        var result = Kernel.Run(new KernelRun(Constant(2.5, 1000), 8, 0, Options(noise: 0)));

        Assert.Equal(RunOutcome.Diverged, result.Outcome);
        Assert.True(double.IsNaN(result.FinalLoss));

        // The curve ends at the first step whose loss exceeds 10⁶ × the initial loss, from the closed
        // form L(t) = E + ½ Σ_{i≤8} i^(−b)(1 − ηλ_i)^(2t) + ½ ζ(b, 9) (records are 5 steps apart here).
        double Loss(int t) => 1.0 + 0.5 * PowerSums.Tail(1.5, 9) + Enumerable.Range(1, 8).Sum(i => 0.5 * Math.Pow(i, -1.5) * Math.Pow(1 - 2.5 / i, 2 * t));
        var expected = Enumerable.Range(1, 1000).First(t => Loss(t) > SteppedKernel.DivergenceFactor * Loss(0));
        Assert.Equal(expected, result.Curve.Steps[^1]);
        Assert.Equal(Loss(expected), result.Curve.Loss[^1], 1e-9 * Loss(expected));
    }

    [Fact]
    public void Curve_keeps_at_least_the_requested_points_on_a_power_of_two_grid_with_the_lr_of_the_last_update()
    {
        // 11 points over 1,000 steps: spacing 100, so a stride of 64 (16 multiples) and the final step.
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Linear, PeakLr = 0.5, WarmupSteps = 0, Warmup = WarmupKind.None, TotalSteps = 1000 });
        var curve = Kernel.Run(new KernelRun(lr, 16, 0, Options(), CurvePoints: 11)).Curve;

        Assert.Equal([.. Enumerable.Range(0, 16).Select(i => 64 * i), 1000], curve.Steps);
        Assert.Equal(lr[63], curve.Lr[1]);
        Assert.Equal(lr[999], curve.Lr[^1]);
    }

    [Fact]
    public void Cancellation_stops_a_run()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => Kernel.Run(new KernelRun(Constant(0.1, 100), 4, 0, Options()), cancelled.Token));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
