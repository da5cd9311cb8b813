namespace Sweeps.Laws.Curves;

/// <summary>
/// The last-iterate bound of convex SGD (Defazio et al., used as a loss law by Bu, Xu, Mao,
/// "Convex dominance"; digest §1.3–1.4): after τ updates with LRs η_1..η_τ,
/// <code>
/// L(τ) ≤ L∞ + D²·X1(τ) + G²·X2(τ),  X1 = 1/(2P_τ),  X2 = ½[Σ_{t&lt;τ} η_t²/(P_τ − P_t) + η_τ],  P_τ = Σ_{t≤τ} η_t,
/// </code>
/// the exact O(τ) rewriting of eq. (2.4) (Theorem 2 without dropping its last term). η_t is the LR
/// of 0-based step t − 1 (index <c>lr[t-1]</c>), the convention that keeps η_T &gt; 0 for decays to zero.
/// </summary>
public static class ConvexBound
{
    /// <summary>(X1, X2) after <paramref name="tau"/> updates; +∞ where P_τ = 0 or η_τ = 0 (the bound's singularities).</summary>
    public static (double X1, double X2) Features(ReadOnlySpan<double> lr, int tau)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(tau, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tau, lr.Length);
        var total = 0.0;
        for (var t = 0; t < tau; t++)
        {
            total += lr[t];
        }

        // Reverse pass: the suffix Σ_{k=t+1}^{τ} η_k is accumulated directly, never as a difference
        // of prefix sums, so the smallest denominators (η_τ) keep full precision.
        double suffix = 0, sum = 0;
        for (var t = tau - 1; t >= 1; t--)
        {
            suffix += lr[t];
            sum += lr[t - 1] * lr[t - 1] / suffix;
        }

        var last = lr[tau - 1];
        return (total > 0 ? 1 / (2 * total) : double.PositiveInfinity, last > 0 ? 0.5 * (sum + last) : double.PositiveInfinity);
    }

    /// <summary>
    /// The bound after the last step, <c>L∞ + D²·X1(T) + G²·X2(T)</c>, and its gradient in every
    /// step's LR (written to <paramref name="gradient"/> unless it is empty), in O(T). With
    /// <c>R_t = Σ_{k≥t} η_k</c> (0-based, to the end), <c>X2 = ½[Σ_{t≥1} η_{t−1}²/R_t + η_{T−1}]</c>, so
    /// <code>∂X2/∂η_j = ½[2η_j/R_{j+1}·1{j&lt;T−1} − Σ_{1≤t≤j} η_{t−1}²/R_t² + 1{j=T−1}],  ∂X1/∂η_j = −1/(2P²)</code>
    /// (the Σ is a prefix sum). The schedule optimiser's objective for the convex law.
    /// </summary>
    public static double FinalLoss(ReadOnlySpan<double> lr, double lInfinity, double d2, double g2, Span<double> gradient)
    {
        var n = lr.Length;
        var (x1, x2) = Features(lr, n);
        var loss = lInfinity + d2 * x1 + g2 * x2;
        if (gradient.IsEmpty || !double.IsFinite(loss))
        {
            return loss;
        }

        var total = 1 / (2 * x1);
        var dX1 = -1 / (2 * total * total);

        // R_t for t = 1..n−1, accumulated from the end as in Features.
        Span<double> suffix = n <= 4096 ? stackalloc double[n] : new double[n];
        var running = 0.0;
        for (var t = n - 1; t >= 1; t--)
        {
            running += lr[t];
            suffix[t] = running;
        }

        var prefix = 0.0;
        for (var j = 0; j < n; j++)
        {
            if (j >= 1)
            {
                var ratio = lr[j - 1] / suffix[j];
                prefix += ratio * ratio;
            }

            var dX2 = (j < n - 1 ? 2 * lr[j] / suffix[j + 1] : 1) - prefix;
            gradient[j] = d2 * dX1 + g2 * 0.5 * dX2;
        }

        return loss;
    }

    /// <summary>Eq. (2.4) term by term, O(τ²): the reference the tests compare <see cref="Features"/> with.</summary>
    public static double BoundNaive(ReadOnlySpan<double> lr, int tau, double lInfinity, double d, double g)
    {
        double p = 0, p2 = 0;
        for (var t = 0; t < tau; t++)
        {
            p += lr[t];
            p2 += lr[t] * lr[t];
        }

        var bound = lInfinity + d * d / (2 * p) + g * g * p2 / (2 * p);
        for (var k = 1; k <= tau - 1; k++)
        {
            double after = 0, from = 0, fromSquares = 0;
            for (var t = k; t <= tau; t++)
            {
                from += lr[t - 1];
                fromSquares += lr[t - 1] * lr[t - 1];
                if (t > k)
                {
                    after += lr[t - 1];
                }
            }

            bound += g * g / 2 * (lr[k - 1] / after) * (fromSquares / from);
        }

        return bound;
    }

    /// <summary>
    /// For a schedule shape s (η = η_peak·s) over T steps, the bound after the last step is
    /// <c>L∞ + a/η_peak + b·η_peak</c> with <c>a = D²/(2Σs)</c>, <c>b = G²·C2</c> (digest §1.9). Returns (Σs, C2).
    /// </summary>
    public static (double SumShape, double C2) ShapeConstants(ReadOnlySpan<double> shape)
    {
        var (x1, x2) = Features(shape, shape.Length);
        return (1 / (2 * x1), x2);
    }

    /// <summary>The peak LR minimising the final-loss bound for a shape: <c>η* = D/(G·√(2·C2·Σs))</c>, and the bound there.</summary>
    public static (double PeakLr, double Bound) OptimalPeakLr(ReadOnlySpan<double> shape, double lInfinity, double d2, double g2)
    {
        var (sum, c2) = ShapeConstants(shape);
        double a = d2 / (2 * sum), b = g2 * c2;
        return (Math.Sqrt(a / b), lInfinity + 2 * Math.Sqrt(a * b));
    }
}
