using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Sweeps.Laws;

/// <summary>
/// Fits <c>L(N, D) = E + A/N^α + B/D^β</c> the way the Chinchilla paper does (Hoffmann et al.,
/// approach 3): in log-sum-exp form <c>log L = LSE(e, a − α log N, b − β log D)</c> with
/// <c>E = eᵉ, A = eᵃ, B = eᵇ</c>, minimising the Huber loss (δ = 1e-3) of log residuals with BFGS
/// and an analytic gradient, from a grid of starts; the best end point wins.
/// </summary>
public static class Chinchilla
{
    public const string Name = Sweeps.Core.Specs.KnownLaws.Chinchilla;
    public const int ParameterCount = 5;

    /// <summary>One observation: model size N, data D (tokens or steps) and loss.</summary>
    public readonly record struct Observation(double ModelSize, double Data, double Loss);

    public static FitReport Fit(IReadOnlyList<Observation> observations, double huberDelta = FitMetrics.HuberDelta)
    {
        var clock = Stopwatch.StartNew();
        var usable = observations.Where(o => o.ModelSize > 0 && o.Data > 0 && o.Loss > 0 && double.IsFinite(o.Loss)).ToArray();
        var problems = Problems(usable);
        if (problems.Count > 0)
        {
            return new FitReport(Name) { Points = usable.Length, Warnings = problems };
        }

        var best = (Theta: (Vector<double>?)null, Value: double.PositiveInfinity, Iterations: 0, Converged: false);
        foreach (var start in Starts())
        {
            var (theta, value, iterations, converged) = Minimise(usable, huberDelta, start);
            if (value < best.Value)
            {
                best = (theta, value, iterations, converged);
            }
        }

        var parameters = FromTheta(best.Theta!);
        var predicted = usable.Select(o => parameters.Predict(o.ModelSize, o.Data)).ToArray();
        return new FitReport(Name)
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

    public static ChinchillaParameters FromTheta(Vector<double> theta) =>
        new(Math.Exp(theta[0]), Math.Exp(theta[1]), theta[2], Math.Exp(theta[3]), theta[4]);

    /// <summary>Σ Huber(log L̂ − log L) over the observations, and its gradient in θ = (e, a, α, b, β).</summary>
    public static (double Value, Vector<double> Gradient) Objective(
        IReadOnlyList<Observation> observations, Vector<double> theta, double huberDelta)
    {
        double e = theta[0], a = theta[1], alpha = theta[2], b = theta[3], beta = theta[4];
        var gradient = Vector<double>.Build.Dense(ParameterCount);
        var value = 0.0;
        foreach (var o in observations)
        {
            double logN = Math.Log(o.ModelSize), logD = Math.Log(o.Data);
            double t0 = e, t1 = a - alpha * logN, t2 = b - beta * logD;
            var max = Math.Max(t0, Math.Max(t1, t2));
            double w0 = Math.Exp(t0 - max), w1 = Math.Exp(t1 - max), w2 = Math.Exp(t2 - max);
            var sum = w0 + w1 + w2;
            var logPrediction = max + Math.Log(sum);
            var r = logPrediction - Math.Log(o.Loss);
            value += Huber.Loss(r, huberDelta);
            var dr = Huber.Derivative(r, huberDelta) / sum;
            gradient[0] += dr * w0;
            gradient[1] += dr * w1;
            gradient[2] -= dr * w1 * logN;
            gradient[3] += dr * w2;
            gradient[4] -= dr * w2 * logD;
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

    /// <summary>The grid of starts: the exponents and log-coefficients a loss law usually lands in.</summary>
    private static IEnumerable<Vector<double>> Starts()
    {
        foreach (var e in new[] { -1.0, 0.0, 1.0 })
        foreach (var a in new[] { 0.0, 5.0, 10.0 })
        foreach (var alpha in new[] { 0.2, 0.5, 1.0 })
        foreach (var b in new[] { 0.0, 5.0, 10.0 })
        foreach (var beta in new[] { 0.2, 0.5, 1.0 })
        {
            yield return Vector<double>.Build.DenseOfArray([e, a, alpha, b, beta]);
        }
    }

    private static (Vector<double> Theta, double Value, int Iterations, bool Converged) Minimise(
        Observation[] observations, double huberDelta, Vector<double> start)
    {
        var objective = ObjectiveFunction.Gradient(theta => Objective(observations, theta, huberDelta));
        try
        {
            var result = new BfgsMinimizer(1e-12, 1e-12, 1e-14, 2000).FindMinimum(objective, start);
            return (result.MinimizingPoint, result.FunctionInfoAtMinimum.Value, result.Iterations, true);
        }
        catch (Exception e) when (e is MaximumIterationsException or InnerOptimizationException or EvaluationException or ArgumentException)
        {
            // A start that wanders off (line search failure, overflow) loses to the others; its
            // starting value still counts so a fit always has an answer.
            var (value, _) = Objective(observations, start, huberDelta);
            return (start, double.IsFinite(value) ? value : double.PositiveInfinity, 0, false);
        }
    }
}
