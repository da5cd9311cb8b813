using Sweeps.Core.Schedules;

namespace Sweeps.Kernels.Tests;

public class BigramLanguageTests
{
    [Fact]
    public void Cities_are_deterministic_or_stochastic_as_the_paper_defines_them_and_the_floor_is_their_mean_entropy()
    {
        var language = BigramLanguage.Create(200, 10, 0.5, seed: 4);
        Assert.All(language.Entropies.Take(100), h => Assert.True(h > 1, $"stochastic city entropy {h}"));
        Assert.All(language.Entropies.Skip(100), h => Assert.True(h < 0.2, $"deterministic city entropy {h}"));
        Assert.Equal(language.Entropies.Average(), language.LossFloor, 1e-15);
        for (var i = 0; i < language.Cities; i++)
        {
            Assert.Equal(1.0, language.Probabilities.AsSpan(i * 10, 10).ToArray().Sum(), 1e-12);
        }
    }

    [Fact]
    public void Sampled_names_follow_the_city_distribution()
    {
        var language = BigramLanguage.Create(3, 5, 1.0, seed: 1);
        var random = new SplitMix64(99);
        const int draws = 200_000;
        var counts = new int[5];
        for (var d = 0; d < draws; d++)
        {
            counts[language.Name(2, random.NextDouble())]++;
        }

        for (var j = 0; j < 5; j++)
        {
            var p = language.Probabilities[2 * 5 + j];
            var sd = Math.Sqrt(p * (1 - p) / draws);
            Assert.InRange((double)counts[j] / draws, p - 5 * sd, p + 5 * sd);
        }
    }
}

public class BigramLmTests
{
    private static readonly BigramLm Kernel = new();

    private static Dictionary<string, double> Options(double names = 10, double batch = 64, double adam = 1, double decay = 0) => new()
    {
        ["names"] = names,
        ["stochastic_fraction"] = 0.5,
        ["batch_size"] = batch,
        ["adam"] = adam,
        ["weight_decay"] = decay,
        ["language_seed"] = 3,
    };

    private static double[] Cosine(double peak, int steps) =>
        Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Cosine, PeakLr = peak, FinalLrRatio = 0.01, WarmupSteps = steps / 20, TotalSteps = steps });

    [Theory]
    [InlineData(1, 0.05)]
    [InlineData(0, 20.0)]
    public void Training_long_enough_approaches_the_mean_conditional_entropy(double adam, double peak)
    {
        // The population loss starts at ln m (Θ = 0) and cannot go below the floor; trained well it ends within 0.01 nats of it.
        const int cities = 16;
        var result = Kernel.Run(new KernelRun(Cosine(peak, 6000), cities, 5, Options(adam: adam)));
        var floor = BigramLanguage.Create(cities, 10, 0.5, 3).LossFloor;

        Assert.Equal(Math.Log(10), result.Curve.Loss[0], 1e-12);
        Assert.True(result.FinalLoss > floor, $"final {result.FinalLoss} below the floor {floor}");
        Assert.True(result.FinalLoss - floor < 0.01, $"final {result.FinalLoss}, floor {floor}");
    }

    [Fact]
    public void Simd_path_gives_the_scalar_reference_bits()
    {
        var run = new KernelRun(Cosine(0.03, 500), 37, 11, Options(names: 7, batch: 16, decay: 0.01));
        Assert.Equal(Kernel.RunScalar(run).Curve.Loss, Kernel.Run(run).Curve.Loss);

        var random = new Random(2);
        double[] Draw(int count) => Enumerable.Range(0, count).Select(_ => random.NextDouble() - 0.5).ToArray();
        var (theta, gradient, first, second) = (Draw(43), Draw(43), Draw(43), Draw(43).Select(Math.Abs).ToArray());
        var (t2, f2, s2) = ((double[])theta.Clone(), (double[])first.Clone(), (double[])second.Clone());
        BigramLm.AdamWScalar(theta, gradient, first, second, 0.01, 0.1, 0.19, 0.002);
        BigramLm.AdamWVectorised(t2, gradient, f2, s2, 0.01, 0.1, 0.19, 0.002);
        Assert.Equal(theta, t2);
        Assert.Equal(first, f2);
        Assert.Equal(second, s2);
    }

    [Fact]
    public void A_seed_fixes_the_run_and_another_seed_samples_other_batches_of_the_same_language()
    {
        KernelRun Run(int seed) => new(Cosine(0.05, 300), 20, seed, Options());
        Assert.Equal(Kernel.Run(Run(1)).Curve.Loss, Kernel.Run(Run(1)).Curve.Loss);
        Assert.NotEqual(Kernel.Run(Run(1)).Curve.Loss[^1], Kernel.Run(Run(2)).Curve.Loss[^1]);
        Assert.Equal(Kernel.Run(Run(1)).Curve.Loss[0], Kernel.Run(Run(2)).Curve.Loss[0]);
    }

    [Fact]
    public void Wsd_shows_the_river_valley_drop_when_it_decays()
    {
        // Stochastic cities are the sharp hillsides: at a high LR their logits bounce; the decay removes it (paper §4).
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Wsd, PeakLr = 0.1, FinalLrRatio = 0.01, DecayFraction = 0.1, WarmupSteps = 100, TotalSteps = 4000 });
        var curve = Kernel.Run(new KernelRun(lr, 64, 3, Options(batch: 8), CurvePoints: 41)).Curve; // a point every 64 steps
        var stableDrop = KernelAssert.LossAt(curve, 3584) - KernelAssert.LossAt(curve, 3136);
        var decayDrop = KernelAssert.LossAt(curve, 4000) - KernelAssert.LossAt(curve, 3584);
        // (Over the stable phase's last 450 steps the loss barely moves; the decay takes off an order of magnitude more.)
        Assert.True(-decayDrop > 10 * Math.Abs(stableDrop), $"stable phase changed by {stableDrop}, decay by {decayDrop}");
    }
}
