namespace Sweeps.Kernels;

/// <summary>Which of a curve's points to keep to stay within a budget: every k-th, evenly, the first and the latest always.</summary>
public static class CurveThinning
{
    public static int[] Indices(int count, int maxPoints)
    {
        var most = Math.Max(maxPoints, 3);
        // Multiples of the stride plus the last point: ⌊(count − 1)/stride⌋ + 2 ≤ most.
        var stride = count <= most ? 1 : (count - 1 + most - 3) / (most - 2);
        return Enumerable.Range(0, count).Where(i => i % stride == 0 || i == count - 1).ToArray();
    }
}
