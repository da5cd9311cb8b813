using Sweeps.Core.Schedules;

namespace Sweeps.Kernels.Tests;

public class PrefixCacheTests
{
    public static TheoryData<string> SteppedKernels => ["quadratic", "random-feature", "river-valley", "bigram-lm"];

    private static double[] Wsd(double decayStart, int steps = 1600) => Schedule.Evaluate(new ScheduleSpec
    {
        Kind = ScheduleKind.Wsd,
        PeakLr = 0.05,
        FinalLrRatio = 0.01,
        DecayStart = (int)(decayStart * steps),
        DecayShape = DecayShape.Linear,
        WarmupSteps = 100,
        TotalSteps = steps,
    });

    private static SteppedKernel Kernel(string name) => (SteppedKernel)KernelCatalog.Default.Get(name);

    private static KernelRun Run(double[] lr, int seed = 1) => new(lr, 64, seed, new Dictionary<string, double>(), CurvePoints: 41);

    [Theory]
    [MemberData(nameof(SteppedKernels))]
    public void A_run_continued_from_another_runs_checkpoint_gives_the_same_bits_and_simulates_only_its_own_tail(string name)
    {
        // WSD decaying at 90% runs first; WSD decaying at 60% shares its first 60% of steps.
        var kernel = Kernel(name);
        var cache = new PrefixCache();
        var first = kernel.Run(Run(Wsd(0.9)), cache);
        var shared = kernel.Run(Run(Wsd(0.6)), cache);
        var alone = kernel.Run(Run(Wsd(0.6)));

        Assert.Equal(1600, first.SimulatedSteps);
        Assert.Equal(alone.Curve.Steps, shared.Curve.Steps);
        Assert.Equal(alone.Curve.Loss, shared.Curve.Loss);
        Assert.Equal(alone.FinalLoss, shared.FinalLoss);
        // The deepest checkpoint at or before step 960 (checkpoints every 100 steps) is step 900.
        Assert.Equal(1600 - 900, shared.SimulatedSteps);
    }

    [Theory]
    [MemberData(nameof(SteppedKernels))]
    public void A_longer_run_at_constant_lr_continues_from_the_end_of_a_shorter_one(string name)
    {
        // A horizon sweep: the 4,000-step run repeats the 1,000-step run and goes on; their curve grids
        // nest (strides 16 and 64), so it takes the shorter run's final state and its records.
        var kernel = Kernel(name);
        var cache = new PrefixCache();
        double[] Constant(int steps) => Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Constant, PeakLr = 0.05, WarmupSteps = 100, TotalSteps = steps });
        kernel.Run(Run(Constant(1000)), cache);
        var longer = kernel.Run(Run(Constant(4000)), cache);
        var alone = kernel.Run(Run(Constant(4000)));

        Assert.Equal(3000, longer.SimulatedSteps);
        Assert.Equal(alone.Curve.Steps, longer.Curve.Steps);
        Assert.Equal(alone.Curve.Loss, longer.Curve.Loss);
    }

    [Fact]
    public void A_run_leaves_no_checkpoint_past_the_part_of_its_schedule_another_run_can_share()
    {
        var kernel = Kernel("quadratic");
        var cache = new PrefixCache();
        kernel.Run(Run(Wsd(0.9)) with { ShareablePrefix = 0 }, cache);
        Assert.Equal(0, cache.Bytes);

        // Shareable up to step 960 (the 60% decay start): checkpoints every 100 steps up to 900, none after.
        kernel.Run(Run(Wsd(0.6)) with { ShareablePrefix = 960 }, cache);
        var longer = kernel.Run(Run(Wsd(0.9)), cache);
        Assert.Equal(1600 - 900, longer.SimulatedSteps);
    }

    [Fact]
    public void An_identical_run_simulates_nothing()
    {
        var kernel = Kernel("quadratic");
        var cache = new PrefixCache();
        var first = kernel.Run(Run(Wsd(0.8)), cache);
        var again = kernel.Run(Run(Wsd(0.8)), cache);
        Assert.Equal(0, again.SimulatedSteps);
        Assert.Equal(first.Curve.Loss, again.Curve.Loss);
    }

    [Fact]
    public void Runs_that_differ_in_seed_or_options_share_nothing()
    {
        var kernel = Kernel("bigram-lm");
        var cache = new PrefixCache();
        kernel.Run(Run(Wsd(0.9)), cache);

        Assert.Equal(1600, kernel.Run(Run(Wsd(0.6), seed: 2), cache).SimulatedSteps);
        Assert.Equal(1600, kernel.Run(new KernelRun(Wsd(0.6), 64, 1, new Dictionary<string, double> { ["batch_size"] = 8 }, CurvePoints: 41), cache).SimulatedSteps);
    }

    [Fact]
    public void The_cache_stays_within_its_bound_by_dropping_the_least_recently_used()
    {
        // A 4,096-direction state is 32 KB (plus its curve so far); 110 KB holds three checkpoints at a time.
        var kernel = Kernel("quadratic");
        var cache = new PrefixCache(maxBytes: 110_000);
        var big = new KernelRun(Wsd(0.9), 4096, 0, new Dictionary<string, double>(), CurvePoints: 41);
        kernel.Run(big, cache);

        Assert.InRange(cache.Bytes, 1, 110_000);
        // The latest checkpoints survive: a run sharing 90% of the steps still starts late.
        Assert.True(kernel.Run(big with { LearningRates = Wsd(0.95) }, cache).SimulatedSteps <= 1600 - 1300);
    }
}
