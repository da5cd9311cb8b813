using MathNet.Numerics.LinearAlgebra;

namespace Sweeps.Laws;

/// <summary>
/// The optimal-LR scaling law <c>η*(N, T) = c · N^a · T^b</c>, fitted by least squares on
/// <c>log η* = log c + a log N + b log T</c> over the interpolated optima of a sweep. Optima at the
/// edge of the LR grid are left out: the true optimum lies beyond them.
/// </summary>
public static class OptimalLrScaling
{
    public sealed record Parameters(double C, double A, double B)
    {
        public double Predict(double modelSize, double totalSteps) => C * Math.Pow(modelSize, A) * Math.Pow(totalSteps, B);

        public IReadOnlyDictionary<string, double> ToDictionary() => new Dictionary<string, double> { ["c"] = C, ["a"] = A, ["b"] = B };

        /// <summary>The parameters of a fit report (<see cref="ToDictionary"/>'s names), or null when a name is missing.</summary>
        public static Parameters? FromDictionary(IReadOnlyDictionary<string, double> parameters) =>
            parameters.TryGetValue("c", out var c) && parameters.TryGetValue("a", out var a) && parameters.TryGetValue("b", out var b)
                ? new Parameters(c, a, b)
                : null;
    }

    /// <summary>The fit, or the reason there is none.</summary>
    public static (Parameters? Fit, FitMetrics? Metrics, string? Problem) Fit(IReadOnlyList<OptimalLrPoint> optima)
    {
        var (interior, problem) = Interior(optima);
        if (problem is not null)
        {
            return (null, null, problem);
        }

        var (_, _, solution) = Regress(interior);
        var fit = new Parameters(Math.Exp(solution[0]), solution[1], solution[2]);
        var metrics = FitMetrics.Of(interior.Select(o => o.PeakLr).ToArray(), interior.Select(o => fit.Predict(o.ModelSize, o.TotalSteps)).ToArray());
        return (fit, metrics, null);
    }

    /// <summary>
    /// Confidence intervals of c, a and b at <paramref name="level"/>, exact for Gaussian errors in
    /// log η*: each coefficient of the regression ± t(n − 3) · s · √((XᵀX)⁻¹)ⱼⱼ, the interval of
    /// log c mapped through exp. Empty when there is no fit or no residual degree of freedom left.
    /// </summary>
    public static IReadOnlyDictionary<string, double[]> ConfidenceIntervals(IReadOnlyList<OptimalLrPoint> optima, double level = 0.95)
    {
        var (interior, problem) = Interior(optima);
        var freedom = interior.Count - 3;
        if (problem is not null || freedom < 1)
        {
            return new Dictionary<string, double[]>();
        }

        var (design, target, solution) = Regress(interior);
        var residual = target - design * solution;
        var variance = residual.DotProduct(residual) / freedom;
        var covariance = (design.TransposeThisAndMultiply(design)).Inverse() * variance;
        var t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, freedom, (1 + level) / 2);
        double[] Around(int j) => [solution[j] - t * Math.Sqrt(covariance[j, j]), solution[j] + t * Math.Sqrt(covariance[j, j])];
        var logC = Around(0);
        return new Dictionary<string, double[]> { ["c"] = [Math.Exp(logC[0]), Math.Exp(logC[1])], ["a"] = Around(1), ["b"] = Around(2) };
    }

    /// <summary>
    /// The predicted optimal peak LR at (<paramref name="modelSize"/>, <paramref name="totalSteps"/>) and
    /// its prediction interval at <paramref name="level"/>: exact for Gaussian errors in log η*, the
    /// interval of a new optimum there, <c>x₀ᵀβ ± t(n − k)·s·√(1 + x₀ᵀ(XᵀX)⁻¹x₀)</c> mapped through exp.
    /// With <paramref name="horizonExponent"/> the exponent of T is fixed (the convex bound's −1/2)
    /// and only c and a are fitted. Null, with the reason, when there are too few interior optima.
    /// </summary>
    public static (double PeakLr, double[] Interval, Parameters Fit, string? Problem) Predict(
        IReadOnlyList<OptimalLrPoint> optima, double modelSize, double totalSteps, double? horizonExponent = null, double level = 0.95)
    {
        var (interior, problem) = Interior(optima, fixedHorizon: horizonExponent is not null);
        var columns = horizonExponent is null ? 3 : 2;
        if (problem is not null || interior.Count - columns < 1)
        {
            return (double.NaN, [double.NaN, double.NaN], new Parameters(double.NaN, double.NaN, double.NaN),
                problem ?? $"a prediction interval needs more interior optima than the {columns} fitted coefficients, got {interior.Count}");
        }

        var (design, target, solution) = Regress(interior, horizonExponent);
        var residual = target - design * solution;
        var variance = residual.DotProduct(residual) / (interior.Count - columns);
        var x0 = Vector<double>.Build.DenseOfArray(columns == 3 ? [1, Math.Log(modelSize), Math.Log(totalSteps)] : [1, Math.Log(modelSize)]);
        var leverage = x0 * (design.TransposeThisAndMultiply(design)).Inverse() * x0;
        var t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, interior.Count - columns, (1 + level) / 2);
        var b = horizonExponent ?? solution[2];
        var center = x0 * solution + (horizonExponent ?? 0) * Math.Log(totalSteps);
        var half = t * Math.Sqrt(variance * (1 + leverage));
        return (Math.Exp(center), [Math.Exp(center - half), Math.Exp(center + half)], new Parameters(Math.Exp(solution[0]), solution[1], b), null);
    }

    private static (List<OptimalLrPoint> Interior, string? Problem) Interior(IReadOnlyList<OptimalLrPoint> optima, bool fixedHorizon = false)
    {
        var interior = optima.Where(o => !o.AtGridEdge && o.PeakLr > 0).ToList();
        if (fixedHorizon)
        {
            return interior.Select(o => o.ModelSize).Distinct().Count() < 2 || interior.Count < 3
                ? (interior, $"η* = c·N^a·T^(−1/2) needs at least 3 interior optima over two model sizes, got {interior.Count}")
                : (interior, null);
        }

        return interior.Select(o => o.ModelSize).Distinct().Count() < 2 || interior.Select(o => o.TotalSteps).Distinct().Count() < 2 || interior.Count < 4
            ? (interior, $"the η*(N, T) power law needs at least 4 interior optima over two model sizes and two horizons, got {interior.Count}")
            : (interior, null);
    }

    /// <summary>Least squares of log η* on (1, log N, log T), or of log η* − b·log T on (1, log N) when the exponent b of T is given.</summary>
    private static (Matrix<double> Design, Vector<double> Target, Vector<double> Solution) Regress(List<OptimalLrPoint> interior, double? horizonExponent = null)
    {
        var columns = horizonExponent is null ? 3 : 2;
        var design = Matrix<double>.Build.Dense(interior.Count, columns, (i, j) => j switch
        {
            0 => 1.0,
            1 => Math.Log(interior[i].ModelSize),
            _ => Math.Log(interior[i].TotalSteps),
        });
        var target = Vector<double>.Build.Dense(interior.Count, i => Math.Log(interior[i].PeakLr) - (horizonExponent ?? 0) * Math.Log(interior[i].TotalSteps));
        return (design, target, design.QR().Solve(target));
    }
}
