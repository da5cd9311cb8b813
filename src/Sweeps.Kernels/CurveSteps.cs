namespace Sweeps.Kernels;

/// <summary>
/// Which steps of a run a kernel records: <paramref name="points"/> steps evenly spaced over
/// <c>[0, T]</c> (step 0 is the initial loss), always including the final step T.
/// </summary>
public static class CurveSteps
{
    public static int[] Evenly(int totalSteps, int points)
    {
        var count = Math.Clamp(points, 2, totalSteps + 1);
        var steps = new int[count];
        for (var j = 0; j < count; j++)
        {
            steps[j] = (int)Math.Round((double)j * totalSteps / (count - 1));
        }

        return steps.Distinct().ToArray();
    }
}
