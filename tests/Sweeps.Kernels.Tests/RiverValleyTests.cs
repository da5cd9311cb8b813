using Sweeps.Core.Schedules;

namespace Sweeps.Kernels.Tests;

public class RiverValleyTests
{
    private static readonly RiverValley Kernel = new();

    private static Dictionary<string, double> Options(double gamma = 1.0, double spread = 0.0, double noise = 0.1, double amplitude = 1.0, double exponent = 0.5, double floor = 1.0) => new()
    {
        ["hill_curvature"] = gamma,
        ["hill_spread"] = spread,
        ["noise"] = noise,
        ["river_amplitude"] = amplitude,
        ["river_exponent"] = exponent,
        ["irreducible_loss"] = floor,
    };

    private static double[] Constant(double eta, int steps) => Enumerable.Repeat(eta, steps).ToArray();

    /// <summary>
    /// The river under gradient flow: dy/dt = Aα(1 + y)^(−α−1) from y = 0 integrates to
    /// (1 + y)^(α+2) = 1 + (α + 2)Aα·t, so R = E + A(1 + (α + 2)Aα·t)^(−α/(α+2)).
    /// </summary>
    private static double RiverFlow(double time, double amplitude = 1.0, double exponent = 0.5, double floor = 1.0) =>
        floor + amplitude * Math.Pow(1 + (exponent + 2) * amplitude * exponent * time, -exponent / (exponent + 2));

    [Fact]
    public void Without_noise_the_loss_follows_the_river_flow_at_time_eta_t()
    {
        // Theorem 3.3: GD tracks the river at the pace of the gradient flow, time ≈ ηt, with an O(η) error.
        const double eta = 0.01;
        var result = Kernel.Run(new KernelRun(Constant(eta, 20_000), 8, 0, Options(noise: 0)));
        Assert.Equal(RiverFlow(eta * 20_000), result.FinalLoss, 1e-4);
        Assert.Equal(2.0, result.Curve.Loss[0], 1e-15); // E + A on the river at y = 0
    }

    [Fact]
    public void A_valley_with_no_river_and_no_floor_starts_at_zero_loss_and_settles_at_the_hill_variance_without_diverging()
    {
        // E = A = 0 (both allowed) puts the start at loss 0; the hills then fill to their stationary SGD
        // variance Σ ½γu*, u* = ησ²/(2γ − ηγ²): not a divergence, as a millionfold-of-zero rule said at step 1.
        const double eta = 0.1, sigma2 = 0.1;
        const int d = 16;
        var result = Kernel.Run(new KernelRun(Constant(eta, 4_000), d, 0, Options(noise: sigma2, amplitude: 0, floor: 0)));

        Assert.Equal(RunOutcome.Succeeded, result.Outcome);
        Assert.Equal(0.0, result.Curve.Loss[0]);
        var stationary = (d - 1) * 0.5 * eta * sigma2 / (2 - eta);
        Assert.InRange(result.Curve.Loss.Skip(result.Curve.Loss.Length / 2).Average(), 0.5 * stationary, 2 * stationary);
    }

    [Fact]
    public void At_constant_lr_the_hill_component_is_the_stationary_sgd_variance_and_linear_in_the_lr()
    {
        // Each hill settles at ½γu* with u* = ησ²/(2γ − ηγ²); with hill_spread the curvatures differ.
        const int d = 33;
        const double sigma2 = 0.2, spread = 0.5;
        var hill = new Dictionary<double, double>();
        foreach (var eta in new[] { 0.02, 0.04 })
        {
            // River progress is identical with and without noise, so the difference is the hill term alone.
            var noisy = Kernel.Run(new KernelRun(Constant(eta, 30_000), d, 0, Options(spread: spread, noise: sigma2))).FinalLoss;
            var quiet = Kernel.Run(new KernelRun(Constant(eta, 30_000), d, 0, Options(spread: spread, noise: 0))).FinalLoss;
            var expected = Enumerable.Range(1, d - 1).Select(i => Math.Pow(i, -spread)).Sum(g => eta * sigma2 / (2 * (2 - eta * g)));
            Assert.Equal(expected, noisy - quiet, 1e-9);
            hill[eta] = noisy - quiet;
        }

        Assert.Equal(2.0, hill[0.04] / hill[0.02], 0.02); // ≈ (d − 1)ησ²/4: doubles with η
    }

    [Fact]
    public void Wsd_drops_sharply_during_its_decay()
    {
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Wsd, PeakLr = 0.2, FinalLrRatio = 0.01, DecayFraction = 0.1, WarmupSteps = 100, TotalSteps = 5000 });
        var curve = Kernel.Run(new KernelRun(lr, 64, 0, Options(noise: 0.5), CurvePoints: 51)).Curve;
        // Points every 64 steps: the decay is steps 4,500–5,000; compare it with the 512 stable steps before it.
        var stableDrop = KernelAssert.LossAt(curve, 4480) - KernelAssert.LossAt(curve, 3968);
        var decayDrop = KernelAssert.LossAt(curve, 5000) - KernelAssert.LossAt(curve, 4480);
        Assert.True(decayDrop < 10 * stableDrop, $"stable phase fell by {-stableDrop}, decay by {-decayDrop}");
    }

    [Fact]
    public void Wsd_s_matches_wsd_at_equal_compute()
    {
        // Paper §5: checkpoints at budgets 2,000 and 4,000 with 10% decays (1/η linear to 0.1 peak).
        // WSD-S reaches budget 4,000 in 4,000 steps; WSD branches a decay off the constant run for each
        // budget (4,200 steps in all). Their losses at 4,000 must agree to a small part of the decay's gain.
        ScheduleSpec Spec(ScheduleKind kind) => new()
        {
            Kind = kind,
            PeakLr = 0.2,
            FinalLrRatio = 0.1,
            DecayShape = DecayShape.InverseLinear,
            WarmupSteps = 100,
            TotalSteps = 4000,
            DecayFraction = kind == ScheduleKind.Wsd ? 0.1 : null,
            Decays = kind == ScheduleKind.WsdS ? [new DecayWindow(1800, 2000), new DecayWindow(3600, 4000)] : [],
        };
        double Final(double[] lr) => Kernel.Run(new KernelRun(lr, 64, 0, Options(noise: 0.5))).FinalLoss;
        var wsd = Final(Schedule.Evaluate(Spec(ScheduleKind.Wsd)));
        var wsdS = Final(Schedule.Evaluate(Spec(ScheduleKind.WsdS)));
        var constant = Final(Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Constant, PeakLr = 0.2, WarmupSteps = 100, TotalSteps = 4000 }));

        Assert.True(wsd < constant && wsdS < constant);
        Assert.True(Math.Abs(wsdS - wsd) < 0.01 * (constant - wsd), $"WSD {wsd}, WSD-S {wsdS}, constant {constant}");
    }

    [Theory]
    [InlineData(1, 100)]
    [InlineData(6, 500)]
    [InlineData(1025, 300)]
    public void Simd_path_matches_the_scalar_reference(int d, int steps)
    {
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Cosine, PeakLr = 0.5, FinalLrRatio = 0.1, WarmupSteps = steps / 10, TotalSteps = steps });
        var run = new KernelRun(lr, d, 3, Options(spread: 0.7, noise: 0.3));
        KernelAssert.SimdMatchesScalar(Kernel, run, 1e-12);
    }

    [Fact]
    public void An_lr_above_two_over_the_hill_curvature_diverges()
    {
        var result = Kernel.Run(new KernelRun(Constant(2.5, 3000), 16, 0, Options(noise: 0.1)));
        Assert.Equal(RunOutcome.Diverged, result.Outcome);
        Assert.Same(typeof(RiverValley), KernelCatalog.Default.Get("river-valley").GetType());
    }
}
