using CsCheck;
using Sweeps.Core.Schedules;

namespace Sweeps.Kernels.Tests;

/// <summary>What every kernel of the catalog must do on random runs (CsCheck): SIMD agrees with scalar, a seed fixes the result.</summary>
public class KernelPropertyTests
{
    /// <summary>
    /// Where each kernel's runs are interesting (some diverge): model sizes and peak LRs. The kernels
    /// themselves come from <see cref="KernelCatalog.Default"/>, and a kernel added there without a
    /// line here fails <see cref="Every_kernel_of_the_catalog_has_its_ranges_here"/>.
    /// </summary>
    private static readonly Dictionary<string, (int MinSize, int MaxSize, double MinPeak, double MaxPeak)> Ranges = new()
    {
        ["quadratic"] = (1, 600, 0.01, 2.5),
        ["random-feature"] = (1, 600, 0.01, 1.0),
        ["river-valley"] = (1, 600, 0.01, 2.5),
        ["bigram-lm"] = (1, 60, 0.001, 0.3),
        ["mpl-surrogate"] = (10_000_000, 1_000_000_000, 1e-5, 1e-2),
    };

    private static readonly string[] CatalogKernels = [.. KernelCatalog.Default.Simulators.Select(s => s.Name).Where(Ranges.ContainsKey).Order()];

    private static readonly Gen<(string Kernel, KernelRun Run)> Runs =
        from kernel in Gen.OneOfConst(CatalogKernels)
        from sizeDraw in Gen.Double[0, 1]
        from peakDraw in Gen.Double[0, 1]
        from steps in Gen.Int[2, 400]
        from warmupDraw in Gen.Double[0, 0.3]
        from kind in Gen.OneOfConst(ScheduleKind.Constant, ScheduleKind.Cosine, ScheduleKind.Linear, ScheduleKind.Wsd)
        from seed in Gen.Int[0, 1000]
        from points in Gen.Int[2, 60]
        select Build(kernel, Ranges[kernel], sizeDraw, peakDraw, steps, warmupDraw, kind, seed, points);

    [Fact]
    public void Every_kernel_of_the_catalog_has_its_ranges_here()
    {
        Assert.Equal(KernelCatalog.Default.Simulators.Select(s => s.Name).Order(), Ranges.Keys.Order());
        Assert.All(KernelCatalog.Default.Simulators, s => Assert.IsAssignableFrom<KernelWithScalarReference>(KernelCatalog.Default.Get(s.Name)));
    }

    private static (string, KernelRun) Build(string name, (int MinSize, int MaxSize, double MinPeak, double MaxPeak) kernel,
        double sizeDraw, double peakDraw, int steps, double warmupDraw, ScheduleKind kind, int seed, int points)
    {
        var size = Math.Round(kernel.MinSize * Math.Pow((double)kernel.MaxSize / kernel.MinSize, sizeDraw));
        var peak = kernel.MinPeak * Math.Pow(kernel.MaxPeak / kernel.MinPeak, peakDraw);
        var lr = Schedule.Evaluate(new ScheduleSpec
        {
            Kind = kind,
            PeakLr = peak,
            FinalLrRatio = 0.1,
            DecayFraction = kind == ScheduleKind.Wsd ? 0.2 : null,
            WarmupSteps = (int)(warmupDraw * steps),
            TotalSteps = steps,
        });
        return (name, new KernelRun(lr, size, seed, new Dictionary<string, double>(), points));
    }

    [Fact]
    public void The_simd_path_agrees_with_the_scalar_reference_to_1e_9_on_random_runs() =>
        Runs.Sample(r => KernelAssert.SimdMatchesScalar((KernelWithScalarReference)KernelCatalog.Default.Get(r.Kernel), r.Run, 1e-9), iter: 150);

    [Fact]
    public void A_run_repeated_gives_the_same_bits() =>
        Runs.Sample(r =>
        {
            var kernel = KernelCatalog.Default.Get(r.Kernel);
            Assert.Equal(kernel.Run(r.Run).Curve.Loss, kernel.Run(r.Run).Curve.Loss);
        }, iter: 60);
}
