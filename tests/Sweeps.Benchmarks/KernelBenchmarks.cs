using BenchmarkDotNet.Attributes;
using Sweeps.Kernels;

namespace Sweeps.Benchmarks;

/// <summary>
/// Each expected-loss kernel's SIMD path against its scalar reference, in one process, with the
/// memory diagnoser (allocation is per run, never per step). Run:
/// <c>dotnet run -c Release --project tests/Sweeps.Benchmarks -- --filter *KernelBenchmarks*</c>.
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private KernelWithScalarReference _kernel = null!;
    private KernelRun _run = null!;

    [Params("quadratic", "random-feature", "river-valley")]
    public string Kernel { get; set; } = "";

    [Params(256, 4096)]
    public int ModelSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _kernel = (KernelWithScalarReference)KernelCatalog.Default.Get(Kernel);
        _run = new KernelRun(Enumerable.Repeat(0.2, 2000).ToArray(), ModelSize, 0, new Dictionary<string, double>(), CurvePoints: 200);
    }

    [Benchmark(Baseline = true)]
    public double Scalar() => _kernel.RunScalar(_run).FinalLoss;

    [Benchmark]
    public double Vectorised() => _kernel.Run(_run).FinalLoss;
}
