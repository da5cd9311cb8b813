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

        // One pass for the loss-drop sum, keeping per step what the gradient needs:
        // u_k = C·η_k^(−γ), the area since k, h(x_k) and h'(x_k)·(1+x_k)... as q_k = (1+x_k)^(−β).
        var wantGradient = !gradient.IsEmpty;
        var u = wantGradient ? new double[n] : null;
        var since = wantGradient ? new double[n] : null;
        var q = wantGradient ? new double[n] : null;
        var partial = lr[0];
        var drop = 0.0;
        for (var k = 1; k < n; k++)
        {
            var uk = p.C * Math.Exp(-p.Gamma * Math.Log(Math.Max(lr[k], MplCurve.MinimumLr)));
            var area = total - partial;
            var x = uk * area;
            var qk = Math.Exp(-p.Beta * Math.Log(1 + x));
            drop += (lr[k] - lr[k - 1]) * (1 - qk);
            partial += lr[k];
            if (wantGradient)
            {
                u![k] = uk;
                since![k] = area;
                q![k] = qk;
            }
        }

        var loss = p.L0 + p.A * Math.Pow(total, -p.Alpha) + p.B * drop;
        if (!wantGradient)
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
                var x = u![j] * since![j];
                var slope = p.Beta * q![j] / (1 + x); // h'(x) = β(1+x)^(−β−1)
                prefix += p.B * gap * slope * u[j];
                // d/dη_j of x_j through η_j^(−γ): −γ·x_j/η_j.
                g += prefix + p.B * (1 - q[j]) - p.Gamma * p.B * gap * slope * x / Math.Max(lr[j], MplCurve.MinimumLr);
            }

            if (j + 1 < n)
            {
                g -= p.B * (1 - q![j + 1]);
            }

            gradient[j] = g;
        }

        return loss;
    }
}
