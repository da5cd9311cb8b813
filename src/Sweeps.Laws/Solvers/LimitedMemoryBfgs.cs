using System.Numerics.Tensors;

namespace Sweeps.Laws.Solvers;

/// <summary>The objective of <see cref="LimitedMemoryBfgs"/>: returns f(x) and writes ∇f(x) into <c>gradient</c>.</summary>
public delegate double GradientObjective(ReadOnlySpan<double> x, Span<double> gradient);

/// <summary>
/// Unconstrained L-BFGS (two-loop recursion, Armijo backtracking) on plain arrays. It exists beside
/// MathNet's <c>LimitedMemoryBfgsMinimizer</c>, which the small fits keep using, because the
/// schedule optimiser runs it on 20,000+ variables: there MathNet's vector bookkeeping cost about
/// 3.6 ms an iteration, three times the objective itself, where this loop allocates nothing after
/// its start and spends its time in <see cref="TensorPrimitives"/> (docs/benchmarks.md).
/// </summary>
public static class LimitedMemoryBfgs
{
    /// <summary>
    /// Minimizes <paramref name="objective"/> from <paramref name="start"/>. Stops after
    /// <paramref name="maxIterations"/> (not converged), when an accepted step lowers f by no more than
    /// <paramref name="relativeTolerance"/>·|f|, when the gradient vanishes, or when no step along the
    /// search direction lowers f (converged: no descent left that the line search can find).
    /// </summary>
    public static SolverResult Minimize(GradientObjective objective, ReadOnlySpan<double> start, int maxIterations, int memory = 10, double relativeTolerance = 1e-12)
    {
        var n = start.Length;
        var x = start.ToArray();
        var gradient = new double[n];
        var value = objective(x, gradient);
        var evaluations = 1;
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"the objective is {value} at the start point", nameof(start));
        }

        var history = new History(n, memory);
        var direction = new double[n];
        var trial = new double[n];
        var trialGradient = new double[n];
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            history.Direction(gradient, direction);
            var slope = TensorPrimitives.Dot(gradient, direction);
            if (!(slope < 0))
            {
                // The curvature pairs no longer describe a descent direction: restart from steepest descent.
                history.Clear();
                history.Direction(gradient, direction);
                slope = TensorPrimitives.Dot(gradient, direction);
                if (!(slope < 0))
                {
                    return new(x, value, iteration, true) { Evaluations = evaluations };
                }
            }

            var accepted = false;
            for (var (step, tries) = (1.0, 0); tries < 40 && !accepted; step *= 0.5, tries++)
            {
                TensorPrimitives.MultiplyAdd(direction, step, x, trial);
                var trialValue = objective(trial, trialGradient);
                evaluations++;
                if (trialValue <= value + 1e-4 * step * slope)
                {
                    accepted = true;
                    history.Add(x, trial, gradient, trialGradient);
                    var decrease = value - trialValue;
                    (x, trial) = (trial, x);
                    (gradient, trialGradient) = (trialGradient, gradient);
                    value = trialValue;
                    if (decrease <= relativeTolerance * Math.Abs(value))
                    {
                        return new(x, value, iteration + 1, true) { Evaluations = evaluations };
                    }
                }
            }

            if (!accepted)
            {
                return new(x, value, iteration, true) { Evaluations = evaluations };
            }
        }

        return new(x, value, maxIterations, false) { Evaluations = evaluations };
    }

    /// <summary>The last <c>memory</c> pairs (s, y) = (Δx, Δ∇f) in a ring, and the two-loop recursion over them.</summary>
    private sealed class History(int n, int memory)
    {
        private readonly double[][] s = [.. Enumerable.Range(0, memory).Select(_ => new double[n])];
        private readonly double[][] y = [.. Enumerable.Range(0, memory).Select(_ => new double[n])];
        private readonly double[] rho = new double[memory];
        private readonly double[] alpha = new double[memory];
        private int count;
        private int next;

        public void Clear() => count = 0;

        public void Add(double[] x, double[] xNew, double[] gradient, double[] gradientNew)
        {
            TensorPrimitives.Subtract(xNew, x, s[next]);
            TensorPrimitives.Subtract(gradientNew, gradient, y[next]);
            var sy = TensorPrimitives.Dot(s[next], y[next]);
            if (sy > 1e-300)
            {
                // Only pairs with positive curvature keep the implied Hessian positive definite.
                rho[next] = 1 / sy;
                next = (next + 1) % memory;
                count = Math.Min(count + 1, memory);
            }
        }

        /// <summary>direction = −H·gradient; with no pairs, the steepest descent of unit length.</summary>
        public void Direction(double[] gradient, double[] direction)
        {
            TensorPrimitives.Negate(gradient, direction);
            if (count == 0)
            {
                var norm = TensorPrimitives.Norm(gradient);
                if (norm > 0)
                {
                    TensorPrimitives.Divide(direction, norm, direction);
                }

                return;
            }

            for (var k = 0; k < count; k++)
            {
                var j = (next - 1 - k + 2 * memory) % memory;
                alpha[j] = rho[j] * TensorPrimitives.Dot(s[j], direction);
                TensorPrimitives.MultiplyAdd(y[j], -alpha[j], direction, direction);
            }

            var newest = (next - 1 + memory) % memory;
            TensorPrimitives.Multiply(direction, 1 / (rho[newest] * TensorPrimitives.Dot(y[newest], y[newest])), direction);
            for (var k = count - 1; k >= 0; k--)
            {
                var j = (next - 1 - k + 2 * memory) % memory;
                var beta = rho[j] * TensorPrimitives.Dot(y[j], direction);
                TensorPrimitives.MultiplyAdd(s[j], alpha[j] - beta, direction, direction);
            }
        }
    }
}
