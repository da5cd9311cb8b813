using System.Runtime.CompilerServices;
using System.Diagnostics;
using Sweeps.Laws.Solvers;

namespace Sweeps.Laws.Curves;

/// <summary>
/// The multi-power law fitted by the published pipeline, step for step (science/multi-power-law.md,
/// "Reference fitting pipeline, step by step"; the public MultiPowerLaw repository's src/fitting.py):
/// a start for (L0, A, α, B) from 135 bounded quasi-Newton fits of the simplified law, then at most
/// 200 AdamW steps on the full law from C = 1, β = γ = 0.5, stopped by a patience of 20 or a vanishing
/// gradient, returning the parameters recorded one update after the best objective (the code's own
/// convention). Its early stop is what the published 25M/100M/400M parameters are.
/// Two generalisations, both the identity on the paper's curves (every peak LR 3e-4): the simplified
/// law's <c>3e-4 − η</c> uses the training schedules' largest LR, and the grid of B is scaled by
/// 3e-4 / that LR so <c>B·(η_peak − η)</c> starts at the same size.
/// </summary>
public static class MplReferenceFit
{
    public const string MethodName = "reference";

    /// <summary>The pipeline's cap on AdamW steps.</summary>
    public const int MaxSteps = 200;

    /// <summary>Steps without a lower objective before the pipeline stops (after step 20).</summary>
    public const int Patience = 20;

    /// <summary>The pipeline stops when the gradient norm falls below this.</summary>
    public const double GradientNormThreshold = 1e-5;

    /// <summary>The published code's peak LR, written there as a constant.</summary>
    private const double PublishedPeakLr = 3e-4;

    /// <summary>Relative decrease at which a start's descent stops: enough to rank the starts.</summary>
    private const double RankingTolerance = 1e-9;

    /// <summary>Relative decrease at which the winner's polish stops (the reference's ftol is 1e-9 of max(|f|, 1)).</summary>
    private const double PolishTolerance = 1e-15;

    /// <summary>PyTorch parameter groups: 5e-2 for L0, A, B, C and 5e-3 for the exponents α, β, γ (order of <see cref="MultiPowerLawParameters.Names"/>).</summary>
    private static readonly double[] LearningRates = [5e-2, 5e-2, 5e-3, 5e-2, 5e-2, 5e-3, 5e-3];

    /// <summary>Runs the whole pipeline on <paramref name="train"/>.</summary>
    public static FitReport Fit(IReadOnlyList<MplObservation> train, double huberDelta = FitMetrics.HuberDelta)
    {
        var clock = Stopwatch.StartNew();
        var points = train.Sum(o => o.Loss.Length);
        if (points < MultiPowerLawParameters.Names.Length)
        {
            return new FitReport(MultiPowerLaw.LawName) { Method = MethodName, Points = points, Warnings = [$"needs at least 7 points to fit 7 parameters, got {points}"] };
        }

        var grid = StartGrid(train, huberDelta);
        if (grid is null)
        {
            return Failed(points, clock, "no start of the simplified law's grid predicts a positive loss at every point of these curves; no fit");
        }

        var descent = Descend(train, grid.Start, huberDelta);
        if (descent.Parameters is null)
        {
            return Failed(points, clock, "the AdamW stage found no finite objective; no fit");
        }

        var warnings = descent.Stop == StopReason.StepCap ? [$"the reference pipeline stopped at its {MaxSteps}-step cap, as published"] : Array.Empty<string>();
        return new FitReport(MultiPowerLaw.LawName)
        {
            Method = MethodName,
            Parameters = descent.Parameters.ToDictionary(),
            Objective = MultiPowerLawFit.Objective(train, descent.Parameters, huberDelta),
            Iterations = descent.Steps,
            // The pipeline ends by its own rules (patience, gradient norm, step cap): an early stop by design.
            Converged = true,
            Points = points,
            Warnings = warnings,
            ElapsedSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>The winner of the start grid: (L0, A, α, B) with C = 1, β = γ = 0.5, and its simplified-law objective.</summary>
    public sealed record GridStart(MultiPowerLawParameters Start, double Objective);

    /// <summary>Why the AdamW stage ended.</summary>
    public enum StopReason
    {
        Patience,
        GradientNorm,
        StepCap,
    }

    /// <summary>What the AdamW stage returned: the recorded parameters, the objective that recorded them, steps taken.</summary>
    public sealed record Descent(MultiPowerLawParameters? Parameters, double Objective, int Steps, StopReason Stop);

    /// <summary>
    /// Step 2 of the pipeline: m = the lowest training loss; ordinary least squares of
    /// log(y − m + 0.01) on log S(s) gives slope s and intercept c; from each of the 5 × 3 × 3 × 3 starts
    /// L0 ∈ m ± 0.2, A ∈ e^c ± 0.1, α ∈ −s ± 0.1, B ∈ {100, 550, 1000}, a bounded (≥ 0) quasi-Newton
    /// (<see cref="MinimizeSimplified"/>, with the exact gradient in place of the reference's finite differences)
    /// minimises Σ Huber(log y − log(L0 + A·S^(−α) − B·(η_peak − η_s))); the lowest objective wins
    /// (the first in grid order on a tie). Null when no start has a finite objective.
    /// </summary>
    public static GridStart? StartGrid(IReadOnlyList<MplObservation> train, double huberDelta = FitMetrics.HuberDelta)
    {
        var peak = train.Max(o => o.Curve.LearningRates.Max());
        var law = new SimplifiedLaw(train, peak, huberDelta);
        var minimum = law.Loss.Min();
        var (slope, intercept) = LeastSquaresLine(law.LogArea, law.Loss.Select(y => Math.Log(y - minimum + 0.01)).ToArray());
        var bScale = PublishedPeakLr / peak;
        var starts = (
            from l0 in Linspace(minimum - 0.2, minimum + 0.2, 5)
            from a in Linspace(Math.Exp(intercept) - 0.1, Math.Exp(intercept) + 0.1, 3)
            from alpha in Linspace(-slope - 0.1, -slope + 0.1, 3)
            from b in Linspace(100 * bScale, 1000 * bScale, 3)
            select new[] { l0, a, alpha, b }).ToArray();

        var results = new (double[] X, double Value)[starts.Length];
        Parallel.For(0, starts.Length, i => results[i] = MinimizeSimplified(law, starts[i], RankingTolerance));
        var best = -1;
        for (var i = 0; i < results.Length; i++)
        {
            if (double.IsFinite(results[i].Value) && (best < 0 || results[i].Value < results[best].Value))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            return null;
        }

        // The starts only need ranking; the winner is then polished to the minimum it approaches.
        var (x, value) = MinimizeSimplified(law, results[best].X, PolishTolerance);
        if (!double.IsFinite(value))
        {
            (x, value) = results[best];
        }

        return new GridStart(new MultiPowerLawParameters(x[0], x[1], x[2], x[3], 1.0, 0.5, 0.5), value);
    }

    /// <summary>
    /// Step 4: AdamW (two groups, PyTorch's defaults) on Σ_curves Σ_points Huber(log y − log max(ŷ, 1e-10)),
    /// with y held in float32 and its log taken in float32 as the reference does. Each step measures the
    /// objective and gradient, then updates; the patience counter and the gradient-norm test come next;
    /// last, a new best objective records the parameters as they are after that update.
    /// </summary>
    public static Descent Descend(IReadOnlyList<MplObservation> train, MultiPowerLawParameters start, double huberDelta = FitMetrics.HuberDelta)
    {
        var logLoss = train.Select(o => o.Loss.Select(y => (double)MathF.Log((float)y)).ToArray()).ToArray();
        var theta = MplLaw.ToArray(start);
        var gradient = new double[theta.Length];
        var optimizer = new AdamW(LearningRates);
        double best = double.PositiveInfinity, patienceBest = double.PositiveInfinity;
        double[]? recorded = null;
        var withoutImprovement = 0;
        var stop = StopReason.StepCap;
        var step = 0;
        for (; step < MaxSteps; step++)
        {
            var objective = ObjectiveAndGradient(train, logLoss, theta, gradient, huberDelta);
            optimizer.Step(theta, gradient);
            if (objective < patienceBest)
            {
                patienceBest = objective;
                withoutImprovement = 0;
            }
            else
            {
                withoutImprovement++;
            }

            if (step > Patience && withoutImprovement >= Patience)
            {
                stop = StopReason.Patience;
                break;
            }

            if (Norm(gradient) < GradientNormThreshold)
            {
                stop = StopReason.GradientNorm;
                break;
            }

            if (objective < best)
            {
                best = objective;
                recorded = (double[])theta.Clone();
            }
        }

        return new Descent(recorded is null ? null : MplLaw.From(recorded), best, Math.Min(step + 1, MaxSteps), stop);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double ObjectiveAndGradient(IReadOnlyList<MplObservation> train, double[][] logLoss, double[] theta, double[] gradient, double huberDelta)
    {
        Array.Clear(gradient);
        var parameters = MplLaw.From(theta);
        var total = 0.0;
        for (var c = 0; c < train.Count; c++)
        {
            var n = train[c].Loss.Length;
            var predictions = new double[n];
            var derivatives = new double[n * 7];
            MultiPowerLaw.Evaluate(parameters, train[c].Curve, predictions, derivatives);
            for (var i = 0; i < n; i++)
            {
                var clamped = Math.Max(predictions[i], 1e-10);
                var r = logLoss[c][i] - Math.Log(clamped);
                total += Huber.Loss(r, huberDelta);
                if (!(predictions[i] > 1e-10))
                {
                    continue; // the clamp's gradient is zero
                }

                // d Huber(r)/dθ = Huber'(r)·(−1/ŷ)·dŷ/dθ.
                var weight = -Huber.Derivative(r, huberDelta) / predictions[i];
                for (var k = 0; k < 7; k++)
                {
                    gradient[k] += weight * derivatives[i * 7 + k];
                }
            }
        }

        return total;
    }

    /// <summary>
    /// Minimizes the simplified law from <paramref name="start"/> (moved onto the bounds first, as
    /// L-BFGS-B does) within x ≥ 0: L-BFGS whose line search refuses any point outside the bounds,
    /// in units of |start| (each coordinate of order one; B is hundreds where α is a half), which
    /// conditions it far better. The minima of the published curves are interior, where this and
    /// L-BFGS-B agree; MathNet's BFGS-B reached the same winner at about 20 µs of bookkeeping an
    /// evaluation, three times this one's whole cost (docs/benchmarks.md).
    /// </summary>
    private static (double[] X, double Value) MinimizeSimplified(SimplifiedLaw law, double[] start, double relativeTolerance)
    {
        var feasible = start.Select(v => Math.Max(v, 0)).ToArray();
        var units = feasible.Select(v => v > 0 ? v : 1.0).ToArray();
        Span<double> x = stackalloc double[4];
        double Objective(ReadOnlySpan<double> z, Span<double> gradient)
        {
            for (var i = 0; i < 4; i++)
            {
                if (z[i] < 0)
                {
                    return double.PositiveInfinity;
                }
            }

            var value = law.Evaluate(z[0] * units[0], z[1] * units[1], z[2] * units[2], z[3] * units[3], gradient);
            for (var i = 0; i < 4; i++)
            {
                gradient[i] *= units[i];
            }

            return value;
        }

        try
        {
            var result = LimitedMemoryBfgs.Minimize(Objective, feasible.Select((v, i) => v / units[i]).ToArray(), maxIterations: 10_000, relativeTolerance: relativeTolerance);
            return (result.Point.Select((z, i) => z * units[i]).ToArray(), result.Value);
        }
        catch (ArgumentException)
        {
            return (start, double.NaN); // not a finite objective at the start
        }
    }

    private static (double Slope, double Intercept) LeastSquaresLine(double[] x, double[] y)
    {
        var (meanX, meanY) = (x.Average(), y.Average());
        double sxy = 0, sxx = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - meanX) * (y[i] - meanY);
            sxx += (x[i] - meanX) * (x[i] - meanX);
        }

        var slope = sxy / sxx;
        return (slope, meanY - slope * meanX);
    }

    private static double[] Linspace(double from, double to, int count) =>
        Enumerable.Range(0, count).Select(i => from + (to - from) * i / (count - 1)).ToArray();

    private static double Norm(double[] v) => Math.Sqrt(v.Sum(e => e * e));

    private static FitReport Failed(int points, Stopwatch clock, string reason) => new(MultiPowerLaw.LawName)
    {
        Method = MethodName,
        Points = points,
        Warnings = [reason],
        ElapsedSeconds = clock.Elapsed.TotalSeconds,
    };
}
