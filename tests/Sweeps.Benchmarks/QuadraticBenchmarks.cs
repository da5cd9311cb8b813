using BenchmarkDotNet.Attributes;
using Sweeps.Kernels;

namespace Sweeps.Benchmarks;

/// <summary>
/// The quadratic kernel's SIMD path against its scalar reference, in one process: the ratio is
/// the speed-up. Run: <c>dotnet run -c Release --project tests/Sweeps.Benchmarks -- --filter *Quadratic*</c>.
/// </summary>
[MemoryDiagnoser]
public class QuadraticBenchmarks
{
    private readonly Quadratic _kernel = new();
    private KernelRun _run = null!;

    [Params(256, 4096)]
    public int ModelSize { get; set; }

    [GlobalSetup]
    public void Setup() =>
        _run = new KernelRun(Enumerable.Repeat(0.2, 2000).ToArray(), ModelSize, 0, new Dictionary<string, double>(), CurvePoints: 200);

    [Benchmark(Baseline = true)]
    public double Scalar() => _kernel.RunScalar(_run).FinalLoss;

    [Benchmark]
    public double Vectorised() => _kernel.Run(_run).FinalLoss;
}
