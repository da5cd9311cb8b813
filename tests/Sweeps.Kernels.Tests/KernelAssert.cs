namespace Sweeps.Kernels.Tests;

internal static class KernelAssert
{
    /// <summary>The loss recorded at exactly <paramref name="step"/> (the test picks steps on the curve's grid).</summary>
    public static double LossAt(Core.Curves.Curve curve, int step)
    {
        var i = Array.IndexOf(curve.Steps, step);
        Assert.True(i >= 0, $"step {step} is not on the curve's grid");
        return curve.Loss[i];
    }

    /// <summary>The SIMD path and the scalar reference record the same steps and agree at every point to a relative tolerance.</summary>
    public static void SimdMatchesScalar(KernelWithScalarReference kernel, KernelRun run, double relativeTolerance)
    {
        var simd = kernel.Run(run);
        var scalar = kernel.RunScalar(run);

        Assert.Equal(scalar.Outcome, simd.Outcome);
        Assert.Equal(scalar.Curve.Steps, simd.Curve.Steps);
        for (var i = 0; i < scalar.Curve.Loss.Length; i++)
        {
            Assert.Equal(scalar.Curve.Loss[i], simd.Curve.Loss[i], relativeTolerance * Math.Abs(scalar.Curve.Loss[i]));
        }
    }
}
