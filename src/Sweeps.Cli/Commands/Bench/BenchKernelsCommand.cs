using System.CommandLine;
using System.Globalization;
using Sweeps.Cli.Output;
using Sweeps.Core.Schedules;
using Sweeps.Kernels;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands.Bench;

/// <summary>
/// <c>sweeps bench kernels [--json]</c>: every kernel's SIMD path against its scalar reference in this
/// process, on one representative run each: the speed-up, the largest relative difference between
/// the two curves, the throughput and the achieved GFLOP/s (from a per-element flop count of the
/// hot loop, against a peak of one core × 2 FMA ports × 4 lanes × 2 flops × clock).
/// JSON: <c>{"kernels": [{"name", "simd_speedup", "max_rel_diff_vs_scalar", "throughput", "throughput_unit", "gflops"}]}</c>.
/// </summary>
internal static class BenchKernelsCommand
{
    /// <summary>A kernel's benchmark run, how much work it is, and in what unit.</summary>
    private sealed record Case(KernelWithScalarReference Kernel, KernelRun Run, double Work, string Unit, double FlopsPerUnit);

    /// <summary>One kernel's figures (snake_case in JSON).</summary>
    private sealed record KernelFigures(
        string Name, double SimdSpeedup, double MaxRelDiffVsScalar, double Throughput, string ThroughputUnit, double Gflops, double SimdSeconds, double ScalarSeconds);

    /// <summary>Runs a few milliseconds long are noisy: the fastest of this many, after one warm-up run.</summary>
    private const int Repeats = 9;

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout" };
        var command = new Command("kernels", "Each kernel's SIMD path against its scalar reference, in this process") { json };
        command.SetAction(parse =>
        {
            var results = Cases().Select(Measure).ToList();
            var report = new { kernels = results };
            Console.WriteLine(parse.GetValue(json) ? ConsoleJson.Serialize(report) : Render(results));
            return ExitCodes.Success;
        });
        return command;
    }

    private static IEnumerable<Case> Cases()
    {
        static double[] Constant(double eta, int steps) => Enumerable.Repeat(eta, steps).ToArray();
        var options = new Dictionary<string, double>();
        // Per element and step: quadratic (1 − ηλ)², ×u, + η²s: 6 flops; random-feature adds s·λ² and
        // c·λ: 9; river-valley as quadratic with a scalar noise: 5; AdamW: 17 per parameter.
        yield return new(new Quadratic(), new KernelRun(Constant(0.2, 2000), 4096, 0, options), 4096.0 * 2000, "direction-steps/s", 6);
        yield return new(new RandomFeature(), new KernelRun(Constant(0.2, 2000), 4096, 0, new Dictionary<string, double> { ["noise"] = 0.1 }), 4096.0 * 2000, "mode-steps/s", 11);
        yield return new(new RiverValley(), new KernelRun(Constant(0.2, 2000), 4096, 0, options), 4096.0 * 2000, "hill-steps/s", 5);
        // 2,000 AdamW steps of 1,024 cities × 10 names with the population loss every 20 steps.
        yield return new(new BigramLm(), new KernelRun(Constant(0.01, 2000), 1024, 0, options, CurvePoints: 101), 1024.0 * 10 * 2000, "parameter-updates/s", 17);
        var cosine = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Cosine, PeakLr = 3e-4, FinalLrRatio = 0.1, WarmupSteps = 2160, TotalSteps = 24000 });
        // The law at 200 points over 24,000 changing steps: about 200 × 12,000 (point, change) terms, each two log/exp and 8 flops.
        yield return new(new MplSurrogate(), new KernelRun(cosine, 1e8, 0, options), 200 * 12_000.0, "law-terms/s", 8);
    }

    private static KernelFigures Measure(Case c)
    {
        var (simd, simdSeconds) = Timing.Fastest(() => c.Kernel.Run(c.Run), Repeats);
        var (scalar, scalarSeconds) = Timing.Fastest(() => c.Kernel.RunScalar(c.Run), Repeats);
        var difference = simd.Curve.Loss.Zip(scalar.Curve.Loss, (a, b) => Math.Abs(a - b) / Math.Max(Math.Abs(b), double.Epsilon)).Max();
        return new KernelFigures(c.Kernel.Info.Name, scalarSeconds / simdSeconds, difference, c.Work / simdSeconds, c.Unit,
            c.Work * c.FlopsPerUnit / simdSeconds / 1e9, simdSeconds, scalarSeconds);
    }

    private static string Render(IEnumerable<KernelFigures> results)
    {
        var lines = new List<string> { "kernel            SIMD speed-up   max rel diff   throughput                      GFLOP/s" };
        foreach (var r in results)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{r.Name,-17} {r.SimdSpeedup,8:F2}×   {r.MaxRelDiffVsScalar,12:E1}   {r.Throughput,12:E3} {r.ThroughputUnit,-20} {r.Gflops,6:F2}"));
        }

        return string.Join(Environment.NewLine, lines);
    }
}
