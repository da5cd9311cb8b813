using System.Runtime.CompilerServices;
using MathNet.Numerics.LinearAlgebra;

namespace Sweeps.Laws.Solvers;

/// <summary>
/// Levenberg–Marquardt for a sum of Huber losses of residuals, <c>Σ Huber_δ(r_i(θ))</c>, by
/// iteratively reweighted least squares: each step solves
/// <c>(JᵀWJ + λ·diag(JᵀWJ)) Δ = −JᵀW r</c> with <c>w_i = Huber'(r_i)/r_i</c> (1 inside δ), and is
/// kept only if the true Huber objective falls. MathNet's own LM minimises plain squares and takes
/// no weights; the linear algebra here is MathNet's. A few tens of iterations with the exact
/// Jacobian replace the thousands of first-order steps the published fits take.
/// </summary>
public static class HuberLevenbergMarquardt
{
    /// <summary>Residuals r (length n) and Jacobian J (n × p, row-major) at θ; false when θ is outside the model's domain.</summary>
    public delegate bool Residuals(Vector<double> theta, Span<double> residuals, Span<double> jacobian);

    public static SolverResult Minimize(Residuals model, Vector<double> start, int count, double delta, int maxIterations = 200, double tolerance = 1e-10)
    {
        var p = start.Count;
        var r = new double[count];
        var j = new double[count * p];
        var theta = start.Clone();
        if (!model(theta, r, j))
        {
            return new SolverResult([.. theta], double.PositiveInfinity, 0, false);
        }

        var objective = Objective(r, delta);
        // Nielsen's damping: shrink λ by how well the quadratic model predicted the decrease,
        // and grow it geometrically faster on each consecutive rejection.
        var lambda = 1e-3;
        var growth = 2.0;
        for (var iteration = 1; iteration <= maxIterations; iteration++)
        {
            var (normal, gradient) = NormalEquations(r, j, count, p, delta);
            var improved = false;
            while (lambda < 1e12)
            {
                var damped = normal.Clone();
                for (var k = 0; k < p; k++)
                {
                    damped[k, k] += lambda * Math.Max(normal[k, k], 1e-12);
                }

                var step = damped.Solve(-gradient);
                var candidate = theta + step;
                var rCandidate = new double[count];
                var jCandidate = new double[count * p];
                if (step.All(double.IsFinite) && model(candidate, rCandidate, jCandidate))
                {
                    var candidateObjective = Objective(rCandidate, delta);
                    // Decrease the local quadratic model promises: −gᵀΔ − ½ΔᵀNΔ = ½Δᵀ(λD Δ − g).
                    var predicted = -(gradient * step) - 0.5 * (step * (normal * step));
                    if (candidateObjective < objective)
                    {
                        var rho = predicted > 0 ? (objective - candidateObjective) / predicted : 1;
                        var relativeDrop = (objective - candidateObjective) / Math.Max(objective, 1e-300);
                        (theta, r, j, objective) = (candidate, rCandidate, jCandidate, candidateObjective);
                        lambda *= Math.Max(1.0 / 3, 1 - Math.Pow(2 * rho - 1, 3));
                        growth = 2;
                        improved = true;
                        if (relativeDrop < tolerance || step.AbsoluteMaximum() < 1e-12)
                        {
                            return new SolverResult([.. theta], objective, iteration, true);
                        }

                        break;
                    }
                }

                lambda *= growth;
                growth *= 2;
            }

            if (!improved)
            {
                return new SolverResult([.. theta], objective, iteration, true); // no step lowers the objective: a minimum
            }
        }

        return new SolverResult([.. theta], objective, maxIterations, false);
    }

    public static double Objective(ReadOnlySpan<double> residuals, double delta)
    {
        var sum = 0.0;
        foreach (var r in residuals)
        {
            sum += Huber.Loss(r, delta);
        }

        return sum;
    }

    /// <summary>
    /// JᵀWJ and JᵀWr. Accumulated in plain arrays (MathNet's indexer checks bounds on every access: it
    /// was a tenth of a multi-scale fit's time), the lower triangle only, then wrapped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (Matrix<double> Normal, Vector<double> Gradient) NormalEquations(double[] r, double[] j, int count, int p, double delta)
    {
        var normal = new double[p * p]; // row-major, lower triangle: normal[a·p + b], b ≤ a
        var gradient = new double[p];
        for (var i = 0; i < count; i++)
        {
            var weight = Math.Abs(r[i]) <= delta ? 1.0 : delta / Math.Abs(r[i]);
            var row = j.AsSpan(i * p, p);
            for (var a = 0; a < p; a++)
            {
                var wa = weight * row[a];
                gradient[a] += wa * r[i];
                var target = normal.AsSpan(a * p, a + 1);
                for (var b = 0; b < target.Length; b++)
                {
                    target[b] += wa * row[b];
                }
            }
        }

        // Column-major storage for MathNet, both triangles.
        var columns = new double[p * p];
        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b <= a; b++)
            {
                columns[b * p + a] = columns[a * p + b] = normal[a * p + b];
            }
        }

        return (Matrix<double>.Build.Dense(p, p, columns), Vector<double>.Build.Dense(gradient));
    }
}
