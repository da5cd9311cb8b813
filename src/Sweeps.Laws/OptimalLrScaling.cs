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
        var interior = optima.Where(o => !o.AtGridEdge && o.PeakLr > 0).ToList();
        if (interior.Select(o => o.ModelSize).Distinct().Count() < 2 || interior.Select(o => o.TotalSteps).Distinct().Count() < 2 || interior.Count < 4)
        {
            return (null, null, $"the η*(N, T) power law needs at least 4 interior optima over two model sizes and two horizons, got {interior.Count}");
        }

        var design = Matrix<double>.Build.Dense(interior.Count, 3, (i, j) => j switch
        {
            0 => 1.0,
            1 => Math.Log(interior[i].ModelSize),
            _ => Math.Log(interior[i].TotalSteps),
        });
        var target = Vector<double>.Build.Dense(interior.Count, i => Math.Log(interior[i].PeakLr));
        var solution = design.QR().Solve(target);
        var fit = new Parameters(Math.Exp(solution[0]), solution[1], solution[2]);
        var metrics = FitMetrics.Of(interior.Select(o => o.PeakLr).ToArray(), interior.Select(o => fit.Predict(o.ModelSize, o.TotalSteps)).ToArray());
        return (fit, metrics, null);
    }
}
