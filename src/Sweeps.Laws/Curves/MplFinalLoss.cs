using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Sweeps.Laws.Curves;

/// <summary>
/// The multi-power law's prediction of the final loss of a whole schedule and its gradient with
/// respect to every step's LR, in O(T): with <c>w_k = B·g_k·h'(x_k)·C·η_k^(−γ)</c>,
/// <c>h(x) = 1 − (1+x)^(−β)</c>, the derivative in η_j is
/// <code>
/// −αA·S^(−α−1) + Σ_{k≤j} w_k + B·h(x_j) − B·h(x_{j+1}) − γ·B·g_j·h'(x_j)·C·η_j^(−γ−1)·(S − S(j−1))
/// </code>
/// (the LR sum S appears in every x_k, the partial sums S(k−1) only for k &gt; j), a prefix sum.
/// The loss alone needs the transcendentals only where the LR changes (g_k ≠ 0): a staircase of a
/// few stages after a warmup costs O(T) additions and O(W + stages) log/exp.
/// </summary>
public sealed class MplFinalLoss(MultiPowerLawParameters p, int steps)
{
    // Per term k: the gap g_k, the step's LR, the LR area since it, u = C·η^(−γ) and
    // q = (1 + u·area)^(−β). Kept between calls so the optimisers' thousands of evaluations allocate nothing.
    private readonly double[] gap = new double[steps];
    private readonly double[] eta = new double[steps];
    private readonly double[] since = new double[steps];
    private readonly double[] u = new double[steps];
    private readonly double[] q = new double[steps];

    public MultiPowerLawParameters Parameters => p;

    public int Steps => steps;

    public static double Value(MultiPowerLawParameters p, ReadOnlySpan<double> lr) => new MplFinalLoss(p, lr.Length).Value(lr);

    /// <summary>One evaluation with buffers of its own; see the instance method.</summary>
    public static double Evaluate(MultiPowerLawParameters p, ReadOnlySpan<double> lr, Span<double> gradient) =>
        new MplFinalLoss(p, lr.Length).Evaluate(lr, gradient);

    /// <summary>The predicted loss after the last step, from the steps where the LR changes only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Value(ReadOnlySpan<double> lr)
    {
        CheckLength(lr);
        var total = Sum(lr);
        var partial = lr[0];
        var terms = 0;
        for (var k = 1; k < lr.Length; k++)
        {
            if (lr[k] != lr[k - 1])
            {
                gap[terms] = lr[k] - lr[k - 1];
                eta[terms] = lr[k];
                since[terms] = total - partial;
                terms++;
            }

            partial += lr[k];
        }

        Transcendentals(terms);
        var drop = 0.0;
        for (var i = 0; i < terms; i++)
        {
            drop += gap[i] * (1 - q[i]);
        }

        return p.L0 + p.A * Math.Pow(total, -p.Alpha) + p.B * drop;
    }

    /// <summary>The predicted loss after the last step; fills <paramref name="gradient"/> (same length as <paramref name="lr"/>) when it is not empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Evaluate(ReadOnlySpan<double> lr, Span<double> gradient)
    {
        if (gradient.IsEmpty)
        {
            return Value(lr);
        }

        CheckLength(lr);
        var n = lr.Length;
        var total = Sum(lr);

        // Every step k ≥ 1 is a term here (term i is step i + 1): the gradient needs u, the area and
        // q even where the gap is zero.
        var partial = lr[0];
        for (var k = 1; k < n; k++)
        {
            gap[k - 1] = lr[k] - lr[k - 1];
            eta[k - 1] = lr[k];
            since[k - 1] = total - partial;
            partial += lr[k];
        }

        Transcendentals(n - 1);
        var drop = 0.0;
        for (var i = 0; i < n - 1; i++)
        {
            drop += gap[i] * (1 - q[i]);
        }

        var loss = p.L0 + p.A * Math.Pow(total, -p.Alpha) + p.B * drop;
        var power = -p.Alpha * p.A * Math.Pow(total, -p.Alpha - 1);
        var prefix = 0.0;
        for (var j = 0; j < n; j++)
        {
            var g = power;
            if (j >= 1)
            {
                var i = j - 1;
                var x = u[i] * since[i];
                var slope = p.Beta * q[i] / (1 + x); // h'(x) = β(1+x)^(−β−1)
                prefix += p.B * gap[i] * slope * u[i];
                // d/dη_j of x_j through η_j^(−γ): −γ·x_j/η_j.
                g += prefix + p.B * (1 - q[i]) - p.Gamma * p.B * gap[i] * slope * x / Math.Max(lr[j], MplCurve.MinimumLr);
            }

            if (j + 1 < n)
            {
                g -= p.B * (1 - q[j]);
            }

            gradient[j] = g;
        }

        return loss;
    }

    private void CheckLength(ReadOnlySpan<double> lr)
    {
        if (lr.Length != steps)
        {
            throw new ArgumentException($"expected a schedule of {steps} steps, got {lr.Length}", nameof(lr));
        }
    }

    private static double Sum(ReadOnlySpan<double> lr)
    {
        var total = 0.0;
        foreach (var e in lr)
        {
            total += e;
        }

        return total;
    }

    /// <summary>
    /// u_i = C·max(η_i, ε)^(−γ) and q_i = (1 + u_i·since_i)^(−β) for the first <paramref name="terms"/>
    /// terms: four log/exp each, eight at a time where AVX-512 exists (the optimisers' hot loop).
    /// </summary>
    private void Transcendentals(int terms)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var minimum = Vector512.Create(MplCurve.MinimumLr);
            var minusGamma = Vector512.Create(-p.Gamma);
            var minusBeta = Vector512.Create(-p.Beta);
            var c = Vector512.Create(p.C);
            for (; i <= terms - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                var e = Vector512.Max(Vector512.Create(eta.AsSpan(i, Vector512<double>.Count)), minimum);
                var ui = c * Vector512.Exp(minusGamma * Vector512.Log(e));
                var x = ui * Vector512.Create(since.AsSpan(i, Vector512<double>.Count));
                ui.CopyTo(u.AsSpan(i));
                Vector512.Exp(minusBeta * Vector512.Log(Vector512<double>.One + x)).CopyTo(q.AsSpan(i));
            }
        }

        for (; i < terms; i++)
        {
            u[i] = p.C * Math.Exp(-p.Gamma * Math.Log(Math.Max(eta[i], MplCurve.MinimumLr)));
            q[i] = Math.Exp(-p.Beta * Math.Log(1 + u[i] * since[i]));
        }
    }
}
