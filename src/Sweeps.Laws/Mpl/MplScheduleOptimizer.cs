using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using Sweeps.Core.Schedules;

namespace Sweeps.Laws.Mpl;

/// <summary>
/// The multi-power-law paper's §5 problem: the non-increasing post-warmup schedule that starts at
/// the peak LR and minimises the predicted final loss. Schedules are parameterised as
/// <c>η_j = peak·exp(−Σ_{i≤j} v_i)</c>, <c>v = z²</c>, after a linear warmup, so every candidate is
/// positive and non-increasing without constraints, and minimised by L-BFGS (MathNet) with the exact
/// O(T) gradient of <see cref="MplFinalLoss"/>, starting from a cosine to a tenth of the peak. Passes
/// go coarse to fine (decay rates shared by blocks of 1,024, 128, 16, then 1 steps), because
/// 20,000 free rates from a poor start take thousands of iterations, a few dozen coarse ones do not.
/// The objective is non-convex: another optimiser can find another shape (digest §4.8, A7).
/// </summary>
public static class MplScheduleOptimizer
{
    /// <summary>Block sizes of the coarse-to-fine passes: each pass starts from the previous optimum.</summary>
    public static readonly int[] BlockSizes = [1024, 128, 16, 1];

    public static ScheduleOptimization Optimize(MultiPowerLawParameters p, int totalSteps, double peakLr, int warmupSteps, int iterationsPerPass = 200)
    {
        var clock = Stopwatch.StartNew();
        var start = Schedule.Evaluate(new ScheduleSpec
        {
            Kind = ScheduleKind.Cosine, PeakLr = peakLr, FinalLrRatio = 0.1, WarmupSteps = warmupSteps, TotalSteps = totalSteps,
        });
        var free = totalSteps - warmupSteps - 1; // η at the first post-warmup step is the peak
        if (free < 1)
        {
            throw new ArgumentException($"no post-warmup steps to optimise (total_steps {totalSteps}, warmup_steps {warmupSteps})");
        }

        // v_i = log(η_{i−1}/η_i) ≥ 0 per decay step, from the cosine start.
        var v = Enumerable.Range(0, free).Select(i => Math.Max(Math.Log(start[warmupSteps + i] / start[warmupSteps + i + 1]), 0)).ToArray();
        var best = (V: v, Value: MplFinalLoss.Value(p, Expand(v, start, warmupSteps, peakLr)));
        var iterations = 0;
        var converged = true;
        foreach (var block in BlockSizes.Where(b => b == 1 || b < free))
        {
            var pass = OptimizeBlocks(p, start, warmupSteps, peakLr, best.V, block, iterationsPerPass);
            iterations += pass.Iterations;
            converged = pass.Converged;
            if (pass.Value <= best.Value)
            {
                best = (pass.V, pass.Value);
            }
        }

        return new ScheduleOptimization(Expand(best.V, start, warmupSteps, peakLr), best.Value, iterations, converged, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// One pass: the decay steps in each block of <paramref name="block"/> share one rate
    /// <c>v = z²</c> (the LR decays geometrically within a block), started from the block means of
    /// <paramref name="v"/>.
    /// </summary>
    private static (double[] V, double Value, int Iterations, bool Converged) OptimizeBlocks(
        MultiPowerLawParameters p, double[] start, int warmupSteps, double peakLr, double[] v, int block, int maxIterations)
    {
        var free = v.Length;
        var blocks = (free + block - 1) / block;
        var z0 = Vector<double>.Build.Dense(blocks, b => Math.Sqrt(v.Skip(b * block).Take(block).Average()));
        var best = (V: v, Value: double.PositiveInfinity);
        (double, Vector<double>) Objective(Vector<double> z)
        {
            var rates = new double[free];
            for (var i = 0; i < free; i++)
            {
                rates[i] = z[i / block] * z[i / block];
            }

            var lr = Expand(rates, start, warmupSteps, peakLr);
            var dLdEta = new double[lr.Length];
            var value = MplFinalLoss.Evaluate(p, lr, dLdEta);
            if (value < best.Value)
            {
                best = (rates, value);
            }

            // dL/dv_i = −Σ_{j ≥ i} η_j dL/dη_j (suffix sum); a block's z gets 2z Σ_{i in block} dL/dv_i.
            var gradient = Vector<double>.Build.Dense(blocks);
            var suffix = 0.0;
            for (var i = free - 1; i >= 0; i--)
            {
                var j = warmupSteps + 1 + i;
                suffix -= lr[j] * dLdEta[j];
                gradient[i / block] += 2 * z[i / block] * suffix;
            }

            return (value, gradient);
        }

        try
        {
            var result = new LimitedMemoryBfgsMinimizer(1e-12, 1e-12, 1e-12, 10, maxIterations)
                .FindMinimum(ObjectiveFunction.Gradient(Objective), z0);
            return (best.V, best.Value, result.Iterations, true);
        }
        catch (Exception e) when (e is MaximumIterationsException or InnerOptimizationException or EvaluationException)
        {
            return (best.V, best.Value, maxIterations, false); // the best point seen is kept
        }
    }

    private static double[] Expand(double[] rates, double[] start, int warmupSteps, double peakLr)
    {
        var lr = new double[start.Length];
        Array.Copy(start, lr, warmupSteps);
        lr[warmupSteps] = peakLr;
        var decay = 0.0;
        for (var i = 0; i < rates.Length; i++)
        {
            decay += rates[i];
            lr[warmupSteps + 1 + i] = peakLr * Math.Exp(-decay);
        }

        return lr;
    }
}
