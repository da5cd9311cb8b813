using BenchmarkDotNet.Attributes;
using Sweeps.Core.Schedules;
using Sweeps.Laws.Curves;

namespace Sweeps.Benchmarks;

/// <summary>
/// The multi-power law on a 24,000-step cosine (2,160 warmup steps) at 171 points, the largest of
/// the paper's training curves: the term-by-term formula against the loss-drop sums over LR
/// changes (SIMD, both cores). Run: <c>dotnet run -c Release --project tests/Sweeps.Benchmarks -- --filter *MultiPowerLaw*</c>.
/// </summary>
public class MultiPowerLawBenchmarks
{
    private double[] _lr = [];
    private int[] _steps = [];
    private MplCurve _curve = null!;

    [GlobalSetup]
    public void Setup()
    {
        _lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Cosine, PeakLr = 3e-4, FinalLr = 3e-5, WarmupSteps = 2160, TotalSteps = 24000 });
        _steps = Enumerable.Range(0, 171).Select(i => 2160 + 128 * i).ToArray();
        _curve = new MplCurve(_lr, _steps);
    }

    [Benchmark(Baseline = true)]
    public double Naive() => _steps.Sum(s => MultiPowerLaw.PredictNaive(MultiPowerLawParameters.Published25M, _lr, s));

    [Benchmark]
    public double Fast() => MultiPowerLaw.Predict(MultiPowerLawParameters.Published25M, _curve).Sum();

    [Benchmark]
    public double FastWithGradient()
    {
        var predictions = new double[_steps.Length];
        MultiPowerLaw.Evaluate(MultiPowerLawParameters.Published25M, _curve, predictions, new double[_steps.Length * 7]);
        return predictions.Sum();
    }
}
