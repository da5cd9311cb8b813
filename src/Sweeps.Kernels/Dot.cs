using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sweeps.Kernels;

/// <summary>
/// Dot products for kernels. The vectorised one always uses four lanes (emulated where the CPU
/// lacks 256-bit vectors), so its rounding, and every kernel result, is the same on every silo;
/// <see cref="Vector{T}"/> would change width, and so the summation order, from machine to machine.
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
        var acc = Vector256<double>.Zero;
        var i = 0;
        for (; i <= x.Length - Vector256<double>.Count; i += Vector256<double>.Count)
        {
            acc += Vector256.LoadUnsafe(ref xRef, (nuint)i) * Vector256.LoadUnsafe(ref yRef, (nuint)i);
        }

        var sum = (acc.GetElement(0) + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));
        for (; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }
}
