using System.Diagnostics;
using System.Numerics.Tensors;
using Sweeps.Laws.Solvers;

namespace Sweeps.Laws.ScheduleSearch;

/// <summary>
/// Per-step descent over every post-warmup LR, for laws with a gradient in each step's LR. Schedules
/// are parameterised as <c>η_j = peak·exp(−Σ_{i≤j} v_i)</c>, <c>v = z²</c>, so every candidate is
/// positive and non-increasing without constraints, and minimised by <see cref="LimitedMemoryBfgs"/>.
/// Passes go coarse to fine (decay rates shared by blocks of 1,024, 128, 16, then 1 steps), because
/// 20,000 free rates from a poor start take thousands of iterations and a few dozen coarse ones do
/// not. Suits laws whose optimum is smooth (the convex bound); a rate at exactly 0 stays there
/// (z = 0 is stationary), so it refines shapes and never invents a drop inside a flat stretch.
/// </summary>
public static class MonotoneDescent
{
    public const string Method = "descent";

    /// <summary>Block sizes of the coarse-to-fine passes: each pass starts from the previous optimum.</summary>
    public static readonly int[] BlockSizes = [1024, 128, 16, 1];

    /// <param name="finalLoss">The law's final loss of a whole schedule; writes dL/dη_j for every step.</param>
    /// <param name="start">The start schedule (its warmup is kept; after it, it must be positive and non-increasing).</param>
    public static ScheduleOptimization Optimize(GradientObjective finalLoss, ScheduleProblem problem, double[] start, int iterationsPerPass = 200)
    {
        problem.ThrowIfInvalid();
        var clock = Stopwatch.StartNew();
        var warmup = problem.WarmupSteps;
        var free = problem.FreeSteps;
        var lr = (double[])start.Clone();
        var dLdEta = new double[lr.Length];
        var rates = new double[free];
        var dLdRate = new double[free];
        var evaluations = 0;

        // v_i = log(η_{i−1}/η_i) ≥ 0 per decay step.
        var v = new double[free];
        for (var i = 0; i < free; i++)
        {
            v[i] = Math.Max(Math.Log(start[warmup + i] / start[warmup + i + 1]), 0);
        }

        void Expand(ReadOnlySpan<double> r)
        {
            var post = lr.AsSpan(warmup + 1, free);
            var decay = 0.0;
            for (var i = 0; i < free; i++)
            {
                decay -= r[i];
                post[i] = decay;
            }

            TensorPrimitives.Exp(post, post);
            TensorPrimitives.Multiply(post, problem.PeakLr, post);
            lr[warmup] = problem.PeakLr;
        }

        Expand(v);
        var best = (V: v, Value: finalLoss(lr, dLdEta));
        evaluations++;
        var iterations = 0;
        var converged = true;
        foreach (var block in BlockSizes.Where(b => b == 1 || b < free))
        {
            var blocks = (free + block - 1) / block;
            var z0 = new double[blocks];
            for (var b = 0; b < blocks; b++)
            {
                z0[b] = Math.Sqrt(TensorPrimitives.Sum(best.V.AsSpan(b * block, Math.Min(block, free - b * block))) / Math.Min(block, free - b * block));
            }

            double Objective(ReadOnlySpan<double> z, Span<double> gradient)
            {
                for (var b = 0; b < blocks; b++)
                {
                    rates.AsSpan(b * block, Math.Min(block, free - b * block)).Fill(z[b] * z[b]);
                }

                Expand(rates);
                var value = finalLoss(lr, dLdEta);
                evaluations++;

                // dL/dv_i = −Σ_{j ≥ i} η_j dL/dη_j (a suffix sum); a block's z gets 2z Σ_{i in block} dL/dv_i.
                var suffix = 0.0;
                for (var i = free - 1; i >= 0; i--)
                {
                    var j = warmup + 1 + i;
                    suffix -= lr[j] * dLdEta[j];
                    dLdRate[i] = suffix;
                }

                for (var b = 0; b < blocks; b++)
                {
                    gradient[b] = 2 * z[b] * TensorPrimitives.Sum(dLdRate.AsSpan(b * block, Math.Min(block, free - b * block)));
                }

                return double.IsFinite(value) ? value : double.PositiveInfinity;
            }

            var pass = LimitedMemoryBfgs.Minimize(Objective, z0, iterationsPerPass);
            iterations += pass.Iterations;
            converged = pass.Converged;
            if (pass.Value <= best.Value)
            {
                var refined = new double[free];
                for (var i = 0; i < free; i++)
                {
                    refined[i] = pass.Point[i / block] * pass.Point[i / block];
                }

                best = (refined, pass.Value);
            }
        }

        Expand(best.V);
        return new ScheduleOptimization(lr, best.Value, iterations, evaluations, converged, clock.Elapsed.TotalSeconds, Method);
    }
}
