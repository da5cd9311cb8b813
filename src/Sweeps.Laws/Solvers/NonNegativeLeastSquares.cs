using MathNet.Numerics.LinearAlgebra;

namespace Sweeps.Laws.Solvers;

/// <summary>
/// Least squares <c>y ≈ c₀ + Σ c_k x_k</c> with the slopes c_k ≥ 0 and the intercept free, exactly, by
/// trying every subset of slopes that may be zero (the convex bound has two, so four subsets) and
/// keeping the best feasible solution — the paper's "non-negative linear regression".
/// </summary>
public static class NonNegativeLeastSquares
{
    public static double[] Solve(IReadOnlyList<double[]> features, IReadOnlyList<double> targets)
    {
        var k = features[0].Length;
        double[]? best = null;
        var bestResidual = double.PositiveInfinity;
        for (var mask = 0; mask < 1 << k; mask++)
        {
            var active = Enumerable.Range(0, k).Where(j => (mask & (1 << j)) != 0).ToArray();
            var design = Matrix<double>.Build.Dense(targets.Count, active.Length + 1, (i, j) => j == 0 ? 1.0 : features[i][active[j - 1]]);
            var solution = design.QR().Solve(Vector<double>.Build.DenseOfEnumerable(targets));
            if (active.Select((_, j) => solution[j + 1]).Any(c => c < 0 || !double.IsFinite(c)))
            {
                continue;
            }

            var coefficients = new double[k + 1];
            coefficients[0] = solution[0];
            for (var j = 0; j < active.Length; j++)
            {
                coefficients[active[j] + 1] = solution[j + 1];
            }

            var residual = (design * solution - Vector<double>.Build.DenseOfEnumerable(targets)).L2Norm();
            if (residual < bestResidual)
            {
                (best, bestResidual) = (coefficients, residual);
            }
        }

        return best ?? throw new ArgumentException("no feasible non-negative least-squares solution");
    }
}
