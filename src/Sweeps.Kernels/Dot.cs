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

    public static double Vectorised(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
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
}
