using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sweeps.Laws.Mpl;

/// <summary>
/// The multi-power law with the exact discrete semantics of the paper's published code
/// (shared/data/README.md): over the whole per-step LR array η (warmup included),
/// <code>
/// L(s) = L0 + A·S(s)^(−α) + B·Σ_{k=1..s} (η_k − η_{k−1})·(1 − (1 + C·η_k^(−γ)·(S(s) − S(k−1)))^(−β)),
/// S(s) = Σ_{τ ≤ s} η_τ.
/// </code>
/// <see cref="PredictNaive"/> is the formula as written, O(s) per step; <see cref="Evaluate"/> sums only
/// the steps where η changes, eight at a time where AVX-512 exists, and returns the gradient with the value.
/// </summary>
public static class MultiPowerLaw
{
    public const string Name = "mpl";

    /// <summary>The reference: the formula term by term, for tests.</summary>
    public static double PredictNaive(MultiPowerLawParameters p, double[] lr, int step)
    {
        var area = 0.0;
        for (var t = 0; t <= step; t++)
        {
            area += lr[t];
        }

        var drop = 0.0;
        var areaBefore = lr[0];
        for (var k = 1; k <= step; k++)
        {
            var since = area - areaBefore;
            drop += (lr[k] - lr[k - 1]) * (1 - Math.Pow(1 + p.C * Math.Pow(lr[k], -p.Gamma) * since, -p.Beta));
            areaBefore += lr[k];
        }

        return p.L0 + p.A * Math.Pow(area, -p.Alpha) + p.B * drop;
    }

    /// <summary>Predictions at the curve's steps.</summary>
    public static double[] Predict(MultiPowerLawParameters p, MplCurve curve)
    {
        var predictions = new double[curve.Steps.Length];
        Evaluate(p, curve, predictions, null);
        return predictions;
    }

    /// <summary>
    /// Predictions at the curve's steps and, when <paramref name="gradients"/> is given (7 values per
    /// step, in <see cref="MultiPowerLawParameters.Names"/> order), their derivatives.
    /// </summary>
    public static void Evaluate(MultiPowerLawParameters p, MplCurve curve, Span<double> predictions, Span<double> gradients)
    {
        var changes = curve.Gap.Length;
        // η_k^(−γ) once per evaluation, not once per (s, k) pair.
        var scale = new double[changes];
        for (var j = 0; j < changes; j++)
        {
            scale[j] = p.C * Math.Exp(-p.Gamma * curve.LogLr[j]);
        }

        var values = new double[curve.Steps.Length];
        var derivatives = gradients.IsEmpty ? null : new double[curve.Steps.Length * 7];
        // Points are independent and cost in proportion to the changes before them: the thread pool
        // balances them over the cores. Each point's sum is computed whole by one thread, so the
        // result does not depend on the number of cores.
        Parallel.For(0, curve.Steps.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
            EvaluatePoint(p, curve, scale, i, values, derivatives));
        values.CopyTo(predictions);
        derivatives?.CopyTo(gradients);
    }

    private static void EvaluatePoint(MultiPowerLawParameters p, MplCurve curve, double[] scale, int i, double[] predictions, double[]? gradients)
    {
        var area = curve.AreaAt[i];
        var sums = DropSums(curve, scale, area, curve.ChangesUpTo[i], p.Beta);
        var power = Math.Pow(area, -p.Alpha);
        predictions[i] = p.L0 + p.A * power + p.B * sums.Drop;
        if (gradients is not null)
        {
            var g = gradients.AsSpan(i * 7, 7);
            g[0] = 1;                                    // L0
            g[1] = power;                                // A
            g[2] = -p.A * power * Math.Log(area);        // alpha
            g[3] = sums.Drop;                            // B
            g[4] = p.B * p.Beta * sums.Saturation / p.C; // C
            g[5] = p.B * sums.BetaTerm;                  // beta
            g[6] = -p.B * p.Beta * sums.GammaTerm;       // gamma
        }
    }

    /// <summary>
    /// For one step: Σ g(1 − q), Σ g·q·log(1+x), Σ g·q·x/(1+x) and Σ g·q·x/(1+x)·log η over the
    /// changes k ≤ s, with x = C η_k^(−γ) (S(s) − S(k−1)) and q = (1+x)^(−β); the last three give the
    /// derivatives in β, C and γ.
    /// </summary>
    // Hot loop of every fit: compiled fully optimised at once rather than after tiering, which
    // measured 1.3 s → 0.9 s for a whole 25M fit (docs/benchmarks.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (double Drop, double BetaTerm, double Saturation, double GammaTerm) DropSums(
        MplCurve curve, ReadOnlySpan<double> scale, double area, int count, double beta)
    {
        var j = 0;
        double d = 0, b = 0, s = 0, g = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            // .NET's Vector512 log/exp are 2–3× faster than scalar Math.Log/Exp where AVX-512 exists;
            // its Vector256 ones measured slower than scalar on the same machine, so there is no 256-bit path.
            ref var gapRef = ref MemoryMarshal.GetArrayDataReference(curve.Gap);
            ref var beforeRef = ref MemoryMarshal.GetArrayDataReference(curve.AreaBefore);
            ref var logLrRef = ref MemoryMarshal.GetArrayDataReference(curve.LogLr);
            ref var scaleRef = ref MemoryMarshal.GetReference(scale);
            var areaV = Vector512.Create(area);
            var minusBeta = Vector512.Create(-beta);
            Vector512<double> drop = default, betaTerm = default, saturation = default, gammaTerm = default;
            for (; j <= count - Vector512<double>.Count; j += Vector512<double>.Count)
            {
                var gap = Vector512.LoadUnsafe(ref gapRef, (nuint)j);
                var x = Vector512.LoadUnsafe(ref scaleRef, (nuint)j) * (areaV - Vector512.LoadUnsafe(ref beforeRef, (nuint)j));
                var onePlusX = Vector512<double>.One + x;
                var log = Vector512.Log(onePlusX);
                var gq = gap * Vector512.Exp(minusBeta * log);
                var ratio = gq * x / onePlusX;
                drop += gap - gq;
                betaTerm += gq * log;
                saturation += ratio;
                gammaTerm += ratio * Vector512.LoadUnsafe(ref logLrRef, (nuint)j);
            }

            (d, b, s, g) = (Vector512.Sum(drop), Vector512.Sum(betaTerm), Vector512.Sum(saturation), Vector512.Sum(gammaTerm));
        }

        for (; j < count; j++)
        {
            var x = scale[j] * (area - curve.AreaBefore[j]);
            var log = Math.Log(1 + x);
            var gq = curve.Gap[j] * Math.Exp(-beta * log);
            var ratio = gq * x / (1 + x);
            d += curve.Gap[j] - gq;
            b += gq * log;
            s += ratio;
            g += ratio * curve.LogLr[j];
        }

        return (d, b, s, g);
    }
}
