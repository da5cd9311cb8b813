using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using Sweeps.Laws.Solvers;

namespace Sweeps.Laws;

/// <summary>
/// Fits <c>L(N, D) = E + A/N^α + B/D^β</c> the way the Chinchilla paper does (Hoffmann et al.,
/// approach 3): in log-sum-exp form <c>log L = LSE(e, a − α log N, b − β log D)</c> with
/// <c>E = eᵉ, A = eᵃ, B = eᵇ</c>, minimising the Huber loss (δ = 1e-3) of log residuals. All 4,500
/// starts of the paper's grid are scored; the best 16 are polished by a Huber Levenberg–Marquardt
/// with the exact Jacobian, and the best end point wins.
/// </summary>
public static class Chinchilla
{
    public const string LawName = Sweeps.Core.Specs.KnownLaws.Chinchilla;
    public const int ParameterCount = 5;

    /// <summary>How many of the best-scoring grid starts are polished by Levenberg–Marquardt.</summary>
    public const int PolishedStarts = 16;

    /// <summary>One observation: model size N, data D (tokens or steps) and loss.</summary>
    public readonly record struct Observation(double ModelSize, double Data, double Loss);

    public static FitReport Fit(IReadOnlyList<Observation> observations, double huberDelta = FitMetrics.HuberDelta) =>
        Fit(observations, Starts(), huberDelta);

    /// <summary>The fit from the given starts instead of the paper's grid (tests: any large subset must find the same optimum).</summary>
    internal static FitReport Fit(IReadOnlyList<Observation> observations, IEnumerable<Vector<double>> starts, double huberDelta = FitMetrics.HuberDelta)
    {
        var clock = Stopwatch.StartNew();
        var usable = observations.Where(o => o.ModelSize > 0 && o.Data > 0 && o.Loss > 0 && double.IsFinite(o.Loss)).ToArray();
        var problems = Problems(usable);
        if (problems.Count > 0)
        {
            return new FitReport(LawName) { Points = usable.Length, Warnings = problems };
        }

        // Score the whole grid of starts (cheap: no gradient), then polish only the most promising.
        var ranked = starts
            .Select(theta => (Theta: theta, Value: Objective(usable, theta, huberDelta).Value))
            .Where(s => double.IsFinite(s.Value))
            .OrderBy(s => s.Value)
            .Take(PolishedStarts)
            .ToList();
        SolverResult? best = null;
        foreach (var (theta, _) in ranked)
        {
            var result = HuberLevenbergMarquardt.Minimize((t, r, j) => LogResiduals(usable, t, r, j), theta, usable.Length, huberDelta);
            if (best is null || result.Value < best.Value)
            {
                best = result;
            }
        }

        best ??= new SolverResult(new double[ParameterCount], double.PositiveInfinity, 0, false);
        var parameters = FromTheta(best.Point);
        var predicted = usable.Select(o => parameters.Predict(o.ModelSize, o.Data)).ToArray();
        return new FitReport(LawName)
        {
            Parameters = parameters.ToDictionary(),
            Objective = best.Value,
            Iterations = best.Iterations,
            Converged = best.Converged,
            Points = usable.Length,
            Metrics = FitMetrics.Of(usable.Select(o => o.Loss).ToArray(), predicted),
            ElapsedSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    public static ChinchillaParameters FromTheta(IReadOnlyList<double> theta) =>
        new(Math.Exp(theta[0]), Math.Exp(theta[1]), theta[2], Math.Exp(theta[3]), theta[4]);

    /// <summary>Σ Huber(log L̂ − log L) over the observations, and its gradient in θ = (e, a, α, b, β).</summary>
    public static (double Value, Vector<double> Gradient) Objective(
        IReadOnlyList<Observation> observations, Vector<double> theta, double huberDelta)
    {
        var data = observations as Observation[] ?? [.. observations];
        var residuals = new double[data.Length];
        var jacobian = new double[data.Length * ParameterCount];
        var gradient = Vector<double>.Build.Dense(ParameterCount);
        if (!LogResiduals(data, theta, residuals, jacobian))
        {
            return (double.PositiveInfinity, gradient);
        }

        var value = 0.0;
        for (var i = 0; i < data.Length; i++)
        {
            value += Huber.Loss(residuals[i], huberDelta);
            var slope = Huber.Derivative(residuals[i], huberDelta);
            for (var k = 0; k < ParameterCount; k++)
            {
                gradient[k] += slope * jacobian[i * ParameterCount + k];
            }
        }

        return (value, gradient);
    }

    private static List<string> Problems(Observation[] usable)
    {
        var problems = new List<string>();
        var pairs = usable.Select(o => (o.ModelSize, o.Data)).Distinct().Count();
        if (pairs <= ParameterCount)
        {
            problems.Add($"needs more than {ParameterCount} distinct (model size, horizon) points to fit {ParameterCount} parameters, got {pairs}");
        }

        if (usable.Select(o => o.ModelSize).Distinct().Count() < 2 || usable.Select(o => o.Data).Distinct().Count() < 2)
        {
            problems.Add("needs at least two model sizes and two horizons");
        }

        return problems;
    }

    /// <summary>
    /// The grid of starts of Hoffmann et al.: α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1},
    /// a, b ∈ {0, 5, …, 25}: 4,500 points.
    /// </summary>
    internal static IEnumerable<Vector<double>> Starts() =>
        from e in LogEStarts
        from a in LogCoefficientStarts
        from alpha in ExponentStarts
        from b in LogCoefficientStarts
        from beta in ExponentStarts
        select Vector<double>.Build.DenseOfArray([e, a, alpha, b, beta]);

    private static readonly double[] LogEStarts = [-1.0, -0.5, 0.0, 0.5, 1.0];
    private static readonly double[] LogCoefficientStarts = [0.0, 5.0, 10.0, 15.0, 20.0, 25.0];
    private static readonly double[] ExponentStarts = [0.0, 0.5, 1.0, 1.5, 2.0];

    /// <summary>Residuals log L̂ − log L and their Jacobian in θ = (e, a, α, b, β).</summary>
    internal static bool LogResiduals(Observation[] observations, Vector<double> theta, Span<double> residuals, Span<double> jacobian)
    {
        double e = theta[0], a = theta[1], alpha = theta[2], b = theta[3], beta = theta[4];
        for (var i = 0; i < observations.Length; i++)
        {
            var o = observations[i];
            double logN = Math.Log(o.ModelSize), logD = Math.Log(o.Data);
            double t0 = e, t1 = a - alpha * logN, t2 = b - beta * logD;
            var max = Math.Max(t0, Math.Max(t1, t2));
            double w0 = Math.Exp(t0 - max), w1 = Math.Exp(t1 - max), w2 = Math.Exp(t2 - max);
            var sum = w0 + w1 + w2;
            residuals[i] = max + Math.Log(sum) - Math.Log(o.Loss);
            if (!double.IsFinite(residuals[i]))
            {
                return false;
            }

            var row = jacobian.Slice(i * ParameterCount, ParameterCount);
            row[0] = w0 / sum;
            row[1] = w1 / sum;
            row[2] = -w1 / sum * logN;
            row[3] = w2 / sum;
            row[4] = -w2 / sum * logD;
        }

        return true;
    }
}
