using System.Runtime.Intrinsics;

namespace Sweeps.Laws.Mpl;

/// <summary>
/// The multi-power law's prediction of the final loss of a whole schedule and its gradient with
/// respect to every step's LR, in O(T): with <c>w_k = B·g_k·h'(x_k)·C·η_k^(−γ)</c>,
/// <c>h(x) = 1 − (1+x)^(−β)</c>, the derivative in η_j is
/// <code>
/// −αA·S^(−α−1) + Σ_{k≤j} w_k + B·h(x_j) − B·h(x_{j+1}) − γ·B·g_j·h'(x_j)·C·η_j^(−γ−1)·(S − S(j−1))
/// </code>
/// (the LR sum S appears in every x_k, the partial sums S(k−1) only for k &gt; j), a prefix sum.
/// </summary>
public static class MplFinalLoss
{
    public static double Value(MultiPowerLawParameters p, ReadOnlySpan<double> lr) => Evaluate(p, lr, []);

    /// <summary>
    /// u_k = C·max(η_k, ε)^(−γ) and q_k = (1 + u_k·since_k)^(−β) for k ≥ 1: four log/exp per step,
    /// eight steps at a time where AVX-512 exists (the schedule optimiser's hot loop).
    /// </summary>
    private static void Transcendentals(MultiPowerLawParameters p, ReadOnlySpan<double> lr, double[] since, double[] u, double[] q)
    {
        var k = 1;
        if (Vector512.IsHardwareAccelerated)
        {
            var minimum = Vector512.Create(MplCurve.MinimumLr);
            var minusGamma = Vector512.Create(-p.Gamma);
            var minusBeta = Vector512.Create(-p.Beta);
            var c = Vector512.Create(p.C);
            for (; k <= lr.Length - Vector512<double>.Count; k += Vector512<double>.Count)
            {
                var eta = Vector512.Max(Vector512.Create(lr.Slice(k, Vector512<double>.Count)), minimum);
                var uk = c * Vector512.Exp(minusGamma * Vector512.Log(eta));
                var x = uk * Vector512.Create(since.AsSpan(k, Vector512<double>.Count));
                uk.CopyTo(u.AsSpan(k));
                Vector512.Exp(minusBeta * Vector512.Log(Vector512<double>.One + x)).CopyTo(q.AsSpan(k));
            }
        }

        for (; k < lr.Length; k++)
        {
            u[k] = p.C * Math.Exp(-p.Gamma * Math.Log(Math.Max(lr[k], MplCurve.MinimumLr)));
            q[k] = Math.Exp(-p.Beta * Math.Log(1 + u[k] * since[k]));
        }
    }

    /// <summary>The predicted loss after the last step; fills <paramref name="gradient"/> (same length as <paramref name="lr"/>) when it is not empty.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static double Evaluate(MultiPowerLawParameters p, ReadOnlySpan<double> lr, Span<double> gradient)
    {
        var n = lr.Length;
        var total = 0.0;
        foreach (var eta in lr)
        {
            total += eta;
        }

        // Per step k ≥ 1: u_k = C·η_k^(−γ), the area since k, x_k = u_k·area and q_k = (1+x_k)^(−β);
        // the gradient pass needs them all, the loss only Σ (η_k − η_{k−1})(1 − q_k).
        var u = new double[n];
        var since = new double[n];
        var q = new double[n];
        var partial = lr[0];
        for (var k = 1; k < n; k++)
        {
            since[k] = total - partial;
            partial += lr[k];
        }

        Transcendentals(p, lr, since, u, q);
        var drop = 0.0;
        for (var k = 1; k < n; k++)
        {
            drop += (lr[k] - lr[k - 1]) * (1 - q[k]);
        }

        var loss = p.L0 + p.A * Math.Pow(total, -p.Alpha) + p.B * drop;
        if (gradient.IsEmpty)
        {
            return loss;
        }

        var power = -p.Alpha * p.A * Math.Pow(total, -p.Alpha - 1);
        var prefix = 0.0;
        for (var j = 0; j < n; j++)
        {
            var g = power;
            if (j >= 1)
            {
                var gap = lr[j] - lr[j - 1];
                var x = u[j] * since[j];
                var slope = p.Beta * q[j] / (1 + x); // h'(x) = β(1+x)^(−β−1)
                prefix += p.B * gap * slope * u[j];
                // d/dη_j of x_j through η_j^(−γ): −γ·x_j/η_j.
                g += prefix + p.B * (1 - q[j]) - p.Gamma * p.B * gap * slope * x / Math.Max(lr[j], MplCurve.MinimumLr);
            }

            if (j + 1 < n)
            {
                g -= p.B * (1 - q[j + 1]);
            }

            gradient[j] = g;
        }

        return loss;
    }
}
