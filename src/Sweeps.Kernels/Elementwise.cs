using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sweeps.Kernels;

/// <summary>
/// One step of an element-wise recursion <c>state_i ← f(state_i, coefficient_i)</c>, written once
/// for each width so the JIT specialises and inlines it. Every width must do the scalar's exact
/// operations in the same order: element-wise arithmetic then gives the same bits at any width.
/// </summary>
public interface IElementwiseUpdate
{
    double Apply(double state, double coefficient);

    Vector128<double> Apply(Vector128<double> state, Vector128<double> coefficient);

    Vector256<double> Apply(Vector256<double> state, Vector256<double> coefficient);

    Vector512<double> Apply(Vector512<double> state, Vector512<double> coefficient);
}

/// <summary>
/// Runs an <see cref="IElementwiseUpdate"/> over two arrays: eight lanes at a time where AVX-512
/// exists, four where 256-bit vectors are in hardware, two where only 128-bit ones are (Arm's NEON:
/// a 256-bit vector there would be emulated, slower than scalar code), then one. Unlike a reduction
/// (see <see cref="Dot"/>), an element-wise update has no summation order, so every width gives the
/// same bits and the widest in hardware is safe for determinism across silos.
/// </summary>
public static class Elementwise
{
    public static void Update<T>(Span<double> state, ReadOnlySpan<double> coefficient, T update)
        where T : struct, IElementwiseUpdate =>
        Update(state, coefficient, update, widestBits: Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 64);

    /// <summary>As <see cref="Update{T}(Span{double}, ReadOnlySpan{double}, T)"/> with vectors of at most <paramref name="widestBits"/> (tests run every width on one machine).</summary>
    internal static void Update<T>(Span<double> state, ReadOnlySpan<double> coefficient, T update, int widestBits)
        where T : struct, IElementwiseUpdate
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(coefficient.Length, state.Length);
        ref var s = ref MemoryMarshal.GetReference(state);
        ref var c = ref MemoryMarshal.GetReference(coefficient);
        var i = 0;
        if (widestBits >= 512)
        {
            for (; i <= state.Length - Vector512<double>.Count; i += Vector512<double>.Count)
            {
                update.Apply(Vector512.LoadUnsafe(ref s, (nuint)i), Vector512.LoadUnsafe(ref c, (nuint)i)).StoreUnsafe(ref s, (nuint)i);
            }
        }

        if (widestBits >= 256)
        {
            for (; i <= state.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                update.Apply(Vector256.LoadUnsafe(ref s, (nuint)i), Vector256.LoadUnsafe(ref c, (nuint)i)).StoreUnsafe(ref s, (nuint)i);
            }
        }

        if (widestBits >= 128)
        {
            for (; i <= state.Length - Vector128<double>.Count; i += Vector128<double>.Count)
            {
                update.Apply(Vector128.LoadUnsafe(ref s, (nuint)i), Vector128.LoadUnsafe(ref c, (nuint)i)).StoreUnsafe(ref s, (nuint)i);
            }
        }

        for (; i < state.Length; i++)
        {
            Unsafe.Add(ref s, i) = update.Apply(Unsafe.Add(ref s, i), Unsafe.Add(ref c, i));
        }
    }

    /// <summary>The scalar reference: one element at a time.</summary>
    public static void UpdateScalar<T>(Span<double> state, ReadOnlySpan<double> coefficient, T update)
        where T : struct, IElementwiseUpdate
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(coefficient.Length, state.Length);
        for (var i = 0; i < state.Length; i++)
        {
            state[i] = update.Apply(state[i], coefficient[i]);
        }
    }
}
