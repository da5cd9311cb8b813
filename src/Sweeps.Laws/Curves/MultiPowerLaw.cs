using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sweeps.Laws.Curves;

/// <summary>
/// The multi-power law with the exact discrete semantics of the paper's published code
/// (shared/data/README.md): over the whole per-step LR array η (warmup included),
/// <code>
/// L(s) = L0 + A·S(s)^(−α) + B·Σ_{k=1..s} (η_k − η_{k−1})·(1 − (1 + C·η_k^(−γ)·(S(s) − S(k−1)))^(−β)),
/// S(s) = Σ_{τ ≤ s} η_τ.
/// </code>
/// <see cref="PredictNaive"/> is the formula as written, O(s) per step; <see cref="Evaluate"/> sums only
/// the steps where η changes (far blocks of a smooth schedule by quadrature, the rest with SIMD), and returns the gradient with the value.
/// </summary>
public static class MultiPowerLaw
{
    public const string LawName = Sweeps.Core.Specs.KnownLaws.Mpl;

    /// <summary>
    /// Curves of fewer points are evaluated on the calling thread: a multi-scale fit evaluates dozens of
    /// 40-point curves an iteration, already in parallel over its folds, and handing each to the pool
    /// cost more than it saved.
    /// </summary>
    private const int SerialBelow = 64;

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Evaluate(MultiPowerLawParameters p, MplCurve curve, Span<double> predictions, Span<double> gradients)
    {
        var changes = curve.Gap.Length;
        // C·η_k^(−γ) once per evaluation, not once per (s, k) pair.
        var scale = new double[changes];
        TensorPrimitives.Multiply(curve.LogLr, -p.Gamma, scale);
        TensorPrimitives.Exp(scale, scale);
        TensorPrimitives.Multiply(scale, p.C, scale);

        var values = new double[curve.Steps.Length];
        var derivatives = gradients.IsEmpty ? null : new double[curve.Steps.Length * 7];
        // Points are independent and cost in proportion to the changes before them: the thread pool
        // balances them over the cores. Each point's sum is computed whole by one thread, so the
        // result does not depend on the number of cores.
        if (curve.Steps.Length < SerialBelow)
        {
            for (var i = 0; i < curve.Steps.Length; i++)
            {
                EvaluatePoint(p, curve, scale, i, values, derivatives);
            }
        }
        else
        {
            Parallel.For(0, curve.Steps.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
                EvaluatePoint(p, curve, scale, i, values, derivatives));
        }
        values.CopyTo(predictions);
        derivatives?.CopyTo(gradients);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EvaluatePoint(MultiPowerLawParameters p, MplCurve curve, double[] scale, int i, double[] predictions, double[]? gradients)
    {
        var area = curve.AreaAt[i];
        var sums = DropSums(curve, scale, area, curve.ChangesUpTo[i], p.Beta, p.Gamma);
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
    /// derivatives in β, C and γ. Blocks of slowly varying terms far from s are summed by quadrature
    /// (<see cref="MplSumBlocks"/>, about 1e-12 of their sum), the rest term by term.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static DropTerms DropSums(MplCurve curve, ReadOnlySpan<double> scale, double area, int count, double beta, double gamma)
    {
        var blocks = curve.Blocks;
        var sums = default(DropTerms);
        foreach (var root in blocks.Roots)
        {
            if (blocks[root].Start >= count)
            {
                break;
            }

            Visit(blocks, root, curve, scale, area, count, beta, gamma, ref sums);
        }

        return sums;
    }

    /// <summary>The same sums term by term over every change k ≤ s: the reference the block sums are tested against.</summary>
    internal static DropTerms ExactDropSums(MplCurve curve, ReadOnlySpan<double> scale, double area, int count, double beta)
    {
        var sums = default(DropTerms);
        AddExact(curve, scale, area, 0, count, beta, ref sums);
        return sums;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Visit(MplSumBlocks blocks, int index, MplCurve curve, ReadOnlySpan<double> scale, double area, int count, double beta, double gamma, ref DropTerms sums)
    {
        var node = blocks[index];
        if (node.Start >= count)
        {
            return;
        }

        var end = node.Start + node.Length;
        if (end <= count && node.Rule is { } rule && MplSumBlocks.Accepts(node, curve, scale, area, gamma))
        {
            AddByRule(rule, node.Start, curve, scale, area, beta, ref sums);
        }
        else if (node.Left >= 0)
        {
            Visit(blocks, node.Left, curve, scale, area, count, beta, gamma, ref sums);
            Visit(blocks, node.Right, curve, scale, area, count, beta, gamma, ref sums);
        }
        else
        {
            AddExact(curve, scale, area, node.Start, Math.Min(end, count), beta, ref sums);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddByRule(BlockRule rule, int start, MplCurve curve, ReadOnlySpan<double> scale, double area, double beta, ref DropTerms sums)
    {
        var offsets = rule.Offsets;
        if (Vector256.IsHardwareAccelerated)
        {
            // The rule's eight samples as two vectors of four: the transcendentals dominate a block's cost.
            var drop = Vector256<double>.Zero;
            var betaTerm = Vector256<double>.Zero;
            var saturation = Vector256<double>.Zero;
            var gammaTerm = Vector256<double>.Zero;
            var minusBeta = Vector256.Create(-beta);
            for (var i = 0; i < BlockRule.NodeCount; i += 4)
            {
                int j0 = start + offsets[i], j1 = start + offsets[i + 1], j2 = start + offsets[i + 2], j3 = start + offsets[i + 3];
                var w = Vector256.Create(rule.Weights[i], rule.Weights[i + 1], rule.Weights[i + 2], rule.Weights[i + 3]);
                var gap = Vector256.Create(curve.Gap[j0], curve.Gap[j1], curve.Gap[j2], curve.Gap[j3]);
                var x = Vector256.Create(scale[j0], scale[j1], scale[j2], scale[j3])
                    * (Vector256.Create(area) - Vector256.Create(curve.AreaBefore[j0], curve.AreaBefore[j1], curve.AreaBefore[j2], curve.AreaBefore[j3]));
                var onePlusX = Vector256<double>.One + x;
                var log = Vector256.Log(onePlusX);
                var gq = gap * Vector256.Exp(minusBeta * log);
                var ratio = w * gq * x / onePlusX;
                drop += w * (gap - gq);
                betaTerm += w * gq * log;
                saturation += ratio;
                gammaTerm += ratio * Vector256.Create(curve.LogLr[j0], curve.LogLr[j1], curve.LogLr[j2], curve.LogLr[j3]);
            }

            sums = sums.Add(Vector256.Sum(drop), Vector256.Sum(betaTerm), Vector256.Sum(saturation), Vector256.Sum(gammaTerm));
            return;
        }

        double d = 0, b = 0, s = 0, g = 0;
        for (var i = 0; i < BlockRule.NodeCount; i++)
        {
            var j = start + offsets[i];
            var w = rule.Weights[i];
            var x = scale[j] * (area - curve.AreaBefore[j]);
            var log = Math.Log(1 + x);
            var gq = curve.Gap[j] * Math.Exp(-beta * log);
            var ratio = gq * x / (1 + x);
            d += w * (curve.Gap[j] - gq);
            b += w * gq * log;
            s += w * ratio;
            g += w * ratio * curve.LogLr[j];
        }

        sums = sums.Add(d, b, s, g);
    }

    // The hot paths of every fit are compiled fully optimised at once rather than after tiering (a
    // whole 25M fit measured 1.3 s → 0.9 s for this loop alone; the reference pipeline's 1.35 → 1.0 s
    // for the callers too, which tier-0 code ran through its first few hundred milliseconds).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddExact(MplCurve curve, ReadOnlySpan<double> scale, double area, int from, int to, double beta, ref DropTerms sums)
    {
        var j = from;
        double d = 0, b = 0, s = 0, g = 0;
        ref var gapRef = ref MemoryMarshal.GetArrayDataReference(curve.Gap);
        ref var beforeRef = ref MemoryMarshal.GetArrayDataReference(curve.AreaBefore);
        ref var logLrRef = ref MemoryMarshal.GetArrayDataReference(curve.LogLr);
        ref var scaleRef = ref MemoryMarshal.GetReference(scale);
        if (Vector512.IsHardwareAccelerated)
        {
            var areaV = Vector512.Create(area);
            var minusBeta = Vector512.Create(-beta);
            Vector512<double> drop = default, betaTerm = default, saturation = default, gammaTerm = default;
            for (; j <= to - Vector512<double>.Count; j += Vector512<double>.Count)
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
        else if (Vector256.IsHardwareAccelerated)
        {
            // Without AVX-512, .NET's Vector256 log/exp measured 2.5× faster than scalar Math.Log/Exp
            // (AMD EPYC, AVX2; docs/benchmarks.md).
            var areaV = Vector256.Create(area);
            var minusBeta = Vector256.Create(-beta);
            Vector256<double> drop = default, betaTerm = default, saturation = default, gammaTerm = default;
            for (; j <= to - Vector256<double>.Count; j += Vector256<double>.Count)
            {
                var gap = Vector256.LoadUnsafe(ref gapRef, (nuint)j);
                var x = Vector256.LoadUnsafe(ref scaleRef, (nuint)j) * (areaV - Vector256.LoadUnsafe(ref beforeRef, (nuint)j));
                var onePlusX = Vector256<double>.One + x;
                var log = Vector256.Log(onePlusX);
                var gq = gap * Vector256.Exp(minusBeta * log);
                var ratio = gq * x / onePlusX;
                drop += gap - gq;
                betaTerm += gq * log;
                saturation += ratio;
                gammaTerm += ratio * Vector256.LoadUnsafe(ref logLrRef, (nuint)j);
            }

            (d, b, s, g) = (Vector256.Sum(drop), Vector256.Sum(betaTerm), Vector256.Sum(saturation), Vector256.Sum(gammaTerm));
        }

        for (; j < to; j++)
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

        sums = sums.Add(d, b, s, g);
    }

    /// <summary>The four loss-drop sums of one step (see <see cref="DropSums"/>).</summary>
    internal readonly record struct DropTerms(double Drop, double BetaTerm, double Saturation, double GammaTerm)
    {
        public DropTerms Add(double drop, double betaTerm, double saturation, double gammaTerm) =>
            new(Drop + drop, BetaTerm + betaTerm, Saturation + saturation, GammaTerm + gammaTerm);
    }
}
