namespace Sweeps.Kernels.Tests;

internal static class KernelAssert
{
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
