using BenchmarkDotNet.Attributes;
using Sweeps.Kernels;

namespace Sweeps.Benchmarks;

/// <summary>
/// The random-feature kernel's SIMD path against its scalar reference, in one process. Run:
/// <c>dotnet run -c Release --project tests/Sweeps.Benchmarks -- --filter *RandomFeature*</c>.
/// </summary>
[MemoryDiagnoser]
public class RandomFeatureBenchmarks
{
    private readonly RandomFeature _kernel = new();
    private KernelRun _run = null!;

    [Params(256, 4096)]
    public int ModelSize { get; set; }

    [GlobalSetup]
    public void Setup() =>
        _run = new KernelRun(Enumerable.Repeat(0.2, 2000).ToArray(), ModelSize, 0, new Dictionary<string, double> { ["noise"] = 0.1 }, CurvePoints: 200);

    [Benchmark(Baseline = true)]
    public double Scalar() => _kernel.RunScalar(_run).FinalLoss;

    [Benchmark]
    public double Vectorised() => _kernel.Run(_run).FinalLoss;
}
