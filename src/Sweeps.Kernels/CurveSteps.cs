using System.Numerics;

namespace Sweeps.Kernels;

/// <summary>
/// Which steps of a run a kernel records: step 0 (the initial loss), every multiple of a stride,
/// and the final step T. The stride is the largest power of two that still gives at least
/// <c>points</c> points (so between <c>points</c> and about twice as many are kept). Powers of two
/// make the grids of runs of different lengths nest: a run twice as long records every other step
/// of the shorter run's grid, so it can continue from the shorter run's checkpoint with the
/// shorter run's records (prefix sharing across horizons).
/// </summary>
public static class CurveSteps
{
    public static int[] For(int totalSteps, int points)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSteps, 1);
        var spacing = Math.Max(1, totalSteps / Math.Max(1, points - 1));
        var stride = (int)BitOperations.RoundUpToPowerOf2((uint)spacing + 1) >> 1; // the largest power of two ≤ spacing
        var steps = new List<int>(totalSteps / stride + 2);
        for (var s = 0; s < totalSteps; s += stride)
        {
            steps.Add(s);
        }

        steps.Add(totalSteps);
        return [.. steps];
    }
}
