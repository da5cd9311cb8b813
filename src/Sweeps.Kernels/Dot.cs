using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sweeps.Kernels;

/// <summary>
/// Dot products for kernels. The vectorised one always adds in the same order on every machine:
/// four independent 4-lane accumulators (16 partial sums, so the additions do not wait on each
/// other), combined in a fixed tree, then a scalar tail. <see cref="System.Numerics.Vector{T}"/> or the widest
/// vectors would change the width, and so the summation order and the bits, from silo to silo.
/// </summary>
public static class Dot
{
    public static double Scalar(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    /// <summary>
    /// The fixed-order vectorised sum: through 256-bit vectors where they are in hardware, else
    /// through pairs of 128-bit ones doing the same additions in the same order (the same bits).
    /// </summary>
    public static double Vectorised(ReadOnlySpan<double> x, ReadOnlySpan<double> y) =>
        Vector256.IsHardwareAccelerated ? Vectorised256(x, y) : Vectorised128(x, y);

    internal static double Vectorised256(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(y.Length, x.Length);
        ref var xRef = ref MemoryMarshal.GetReference(x);
        ref var yRef = ref MemoryMarshal.GetReference(y);
        var width = Vector256<double>.Count;
        Vector256<double> a0 = Vector256<double>.Zero, a1 = a0, a2 = a0, a3 = a0;
        var i = 0;
        for (; i <= x.Length - 4 * width; i += 4 * width)
        {
            a0 += Vector256.LoadUnsafe(ref xRef, (nuint)i) * Vector256.LoadUnsafe(ref yRef, (nuint)i);
            a1 += Vector256.LoadUnsafe(ref xRef, (nuint)(i + width)) * Vector256.LoadUnsafe(ref yRef, (nuint)(i + width));
            a2 += Vector256.LoadUnsafe(ref xRef, (nuint)(i + 2 * width)) * Vector256.LoadUnsafe(ref yRef, (nuint)(i + 2 * width));
            a3 += Vector256.LoadUnsafe(ref xRef, (nuint)(i + 3 * width)) * Vector256.LoadUnsafe(ref yRef, (nuint)(i + 3 * width));
        }

        for (; i <= x.Length - width; i += width)
        {
            a0 += Vector256.LoadUnsafe(ref xRef, (nuint)i) * Vector256.LoadUnsafe(ref yRef, (nuint)i);
        }

        var acc = (a0 + a1) + (a2 + a3);
        var sum = (acc.GetElement(0) + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));
        for (; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    /// <summary>
    /// <see cref="Vectorised256"/> on 128-bit vectors: each 4-lane accumulator is a low and a high
    /// 2-lane half, and every lane sees the same products added in the same order.
    /// </summary>
    internal static double Vectorised128(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(y.Length, x.Length);
        ref var xRef = ref MemoryMarshal.GetReference(x);
        ref var yRef = ref MemoryMarshal.GetReference(y);
        const int Width = 4; // lanes of the 256-bit path whose order this keeps
        Vector128<double> l0 = Vector128<double>.Zero, h0 = l0, l1 = l0, h1 = l0, l2 = l0, h2 = l0, l3 = l0, h3 = l0;
        Vector128<double> Product(ref double xs, ref double ys, int at) => Vector128.LoadUnsafe(ref xs, (nuint)at) * Vector128.LoadUnsafe(ref ys, (nuint)at);
        var i = 0;
        for (; i <= x.Length - 4 * Width; i += 4 * Width)
        {
            (l0, h0) = (l0 + Product(ref xRef, ref yRef, i), h0 + Product(ref xRef, ref yRef, i + 2));
            (l1, h1) = (l1 + Product(ref xRef, ref yRef, i + Width), h1 + Product(ref xRef, ref yRef, i + Width + 2));
            (l2, h2) = (l2 + Product(ref xRef, ref yRef, i + 2 * Width), h2 + Product(ref xRef, ref yRef, i + 2 * Width + 2));
            (l3, h3) = (l3 + Product(ref xRef, ref yRef, i + 3 * Width), h3 + Product(ref xRef, ref yRef, i + 3 * Width + 2));
        }

        for (; i <= x.Length - Width; i += Width)
        {
            (l0, h0) = (l0 + Product(ref xRef, ref yRef, i), h0 + Product(ref xRef, ref yRef, i + 2));
        }

        var low = (l0 + l1) + (l2 + l3);
        var high = (h0 + h1) + (h2 + h3);
        var sum = (low.GetElement(0) + low.GetElement(1)) + (high.GetElement(0) + high.GetElement(1));
        for (; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }
}
