namespace Sweeps.Core.Curves;

/// <summary>
/// The LR a simulated curve records at step <c>s</c>: that of the update which led to it,
/// <c>lr[s − 1]</c>, and the first LR at step 0 (the initial loss, before any update). The kernels
/// record it so, and a stored curve leaves out a column that is exactly this (Contracts' ScheduleLrColumn).
/// </summary>
public static class RecordedLr
{
    public static double At(ReadOnlySpan<double> learningRates, int step) => learningRates[Math.Max(step - 1, 0)];
}
