using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Sweeps.Laws.ScheduleSearch;

/// <summary>
/// Minimizes a law's predicted final loss over staircases (<see cref="Staircase"/>): one drop
/// (a grid over where and how far, then Nelder–Mead), then K + 1 stages from the best split of
/// the K-stage optimum, until one more stage gains less than the tolerance. Each evaluation is one
/// call of the law on the whole schedule, so any law that predicts a final loss can be searched,
/// with or without a gradient. For the multi-power law the minimiser is a staircase: its
/// loss-reduction term rewards sharp drops (each saturates in the LR area after it, scaled by the
/// lower LR's η^(−γ)), so a few drops beat every smooth decay found by per-step descent
/// (docs/benchmarks.md), and cost O(W + K) transcendentals an evaluation instead of O(T).
/// </summary>
public static class StaircaseSearch
{
    public const string Method = "staircase";

    // The one-drop grid the search starts from: where the drop is (a fraction of the post-warmup steps) and to what fraction of the peak.
    private static readonly double[] DropStarts = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98];
    private static readonly double[] DropLevels = [0.5, 0.3, 0.1, 0.05, 0.02, 0.01];

    public static ScheduleOptimization Optimize(Func<double[], double> finalLoss, ScheduleProblem problem, int maxStages = 6, double tolerance = 1e-6)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxStages, 1);
        problem.ThrowIfInvalid();
        var clock = Stopwatch.StartNew();
        var lr = problem.ConstantAfterWarmup();
        var evaluations = 0;
        double Loss(Staircase stairs)
        {
            stairs.Write(lr, problem);
            evaluations++;
            var value = finalLoss(lr);
            return double.IsFinite(value) ? value : double.PositiveInfinity;
        }

        // One drop: where (a fraction of the post-warmup steps) and how far (a fraction of the peak).
        var grid =
            from start in DropStarts
            from level in DropLevels
            select new Staircase([start], [level]);
        var first = grid.Select(s => (Stairs: s, Value: Loss(s))).MinBy(c => c.Value);
        var best = Polish(Loss, first.Stairs, first.Value);
        var iterations = best.Iterations;
        var converged = best.Converged;
        while (best.Stairs.Stages < maxStages && best.Stairs.Stages < problem.FreeSteps)
        {
            var split = best.Stairs.Refinements().Select(s => (Stairs: s, Value: Loss(s))).MinBy(c => c.Value);
            var next = Polish(Loss, split.Stairs, split.Value);
            iterations += next.Iterations;
            if (!(next.Value < best.Value - tolerance))
            {
                break;
            }

            best = next;
            converged = next.Converged;
        }

        best.Stairs.Write(lr, problem);
        return new ScheduleOptimization(lr, finalLoss(lr), iterations, evaluations + 1, converged, clock.Elapsed.TotalSeconds, Method, best.Stairs.Stages);
    }

    /// <summary>Nelder–Mead (MathNet) on the staircase's code; the best point seen is kept even when it stops early.</summary>
    private static (Staircase Stairs, double Value, int Iterations, bool Converged) Polish(Func<Staircase, double> loss, Staircase start, double startValue)
    {
        var best = (Stairs: start, Value: startValue);
        double Objective(Vector<double> code)
        {
            var stairs = Staircase.Decode(code.AsArray());
            var value = loss(stairs);
            if (value < best.Value)
            {
                best = (stairs, value);
            }

            return value;
        }

        var dimensions = 2 * start.Stages;
        var code = Vector<double>.Build.DenseOfArray(start.Encode());
        try
        {
            var result = new NelderMeadSimplex(1e-9, 300 * dimensions).FindMinimum(
                ObjectiveFunction.Value(Objective), code, Vector<double>.Build.Dense(dimensions, 0.5));
            return (best.Stairs, best.Value, result.Iterations, true);
        }
        catch (MaximumIterationsException)
        {
            return (best.Stairs, best.Value, 300 * dimensions, false);
        }
    }
}
