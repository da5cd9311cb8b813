using System.Diagnostics;
using Sweeps.Laws.ScheduleSearch;

namespace Sweeps.Laws.Curves;

/// <summary>
/// The published code's schedule optimiser (digest "Schedule optimisation"), kept as the baseline
/// that tests and <c>sweeps bench laws</c> measure <see cref="MplScheduleOptimizer"/> against:
/// <c>η = peak − cumsum(max(δ, 0))</c> after the warmup, clamped at 1e-10, and Adam (β = 0.9, 0.999,
/// ε = 1e-8; default lr 5e-9, 10,000 steps) on δ from δ = 0 (constant at the peak). The gradient of
/// δ_k is <c>−Σ_{j≥k} dL/dη_j</c> over unclamped steps, the chain rule through the cumulative sum.
/// </summary>
public static class PublishedScheduleAdam
{
    public const string Method = "adam";

    public static ScheduleOptimization Optimize(MultiPowerLawParameters p, ScheduleProblem problem, int steps = 10_000, double learningRate = 5e-9)
    {
        problem.ThrowIfInvalid();
        var clock = Stopwatch.StartNew();
        var law = new MplFinalLoss(p, problem.TotalSteps);
        var warmup = problem.WarmupSteps;
        var post = problem.TotalSteps - warmup;
        var lr = problem.ConstantAfterWarmup();
        var gradient = new double[lr.Length];
        double[] delta = new double[post], m = new double[post], v = new double[post];
        var best = (Lr: (double[])lr.Clone(), Value: double.PositiveInfinity);
        for (var step = 1; step <= steps; step++)
        {
            var decrement = 0.0;
            for (var i = 0; i < post; i++)
            {
                decrement += i == 0 ? 0 : Math.Max(delta[i], 0); // the first post-warmup step stays at the peak
                lr[warmup + i] = Math.Max(problem.PeakLr - decrement, 1e-10);
            }

            var value = law.Evaluate(lr, gradient);
            if (value < best.Value)
            {
                best = ((double[])lr.Clone(), value);
            }

            double correction1 = 1 - Math.Pow(0.9, step), correction2 = 1 - Math.Pow(0.999, step);
            var suffix = 0.0;
            for (var i = post - 1; i >= 1; i--)
            {
                if (lr[warmup + i] > 1e-10)
                {
                    suffix -= gradient[warmup + i];
                }

                var g = delta[i] >= 0 ? suffix : 0;
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                delta[i] -= learningRate * (m[i] / correction1) / (Math.Sqrt(v[i] / correction2) + 1e-8);
            }
        }

        return new ScheduleOptimization(best.Lr, best.Value, steps, steps, true, clock.Elapsed.TotalSeconds, Method);
    }
}
