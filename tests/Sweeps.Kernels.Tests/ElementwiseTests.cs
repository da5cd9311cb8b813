namespace Sweeps.Kernels.Tests;

public class ElementwiseTests
{
    public static TheoryData<string, int> Updates
    {
        get
        {
            // Every width this code has, on this machine: 128 and 256 bits run everywhere (emulated
            // where not in hardware, still exact), 512 only where AVX-512 is.
            var data = new TheoryData<string, int>();
            foreach (var kernel in new[] { "quadratic", "random-feature", "river-valley" })
            {
                foreach (var bits in System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? new[] { 128, 256, 512 } : [128, 256])
                {
                    data.Add(kernel, bits);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Updates))]
    public void Every_width_gives_every_element_the_scalar_bits(string kernel, int widestBits)
    {
        // 37 elements: four 8-lane vectors, one 4-lane vector and a scalar tail at 512 bits; nine
        // 4-lane vectors and a tail at 256; eighteen 2-lane vectors and a tail at 128.
        var random = new Random(kernel.Length);
        var coefficient = Enumerable.Range(0, 37).Select(_ => random.NextDouble()).ToArray();
        var state = Enumerable.Range(0, 37).Select(_ => random.NextDouble()).ToArray();
        var (vectorised, scalar) = ((double[])state.Clone(), (double[])state.Clone());
        switch (kernel)
        {
            case "quadratic":
                Elementwise.Update(vectorised, coefficient, new Quadratic.Step(0.37, 0.02), widestBits);
                Elementwise.UpdateScalar(scalar, coefficient, new Quadratic.Step(0.37, 0.02));
                break;
            case "random-feature":
                Elementwise.Update(vectorised, coefficient, new RandomFeature.Step(0.3, 0.02, 0.001), widestBits);
                Elementwise.UpdateScalar(scalar, coefficient, new RandomFeature.Step(0.3, 0.02, 0.001));
                break;
            default:
                Elementwise.Update(vectorised, coefficient, new RiverValley.HillStep(0.4, 0.3), widestBits);
                Elementwise.UpdateScalar(scalar, coefficient, new RiverValley.HillStep(0.4, 0.3));
                break;
        }

        Assert.Equal(scalar, vectorised);
        Assert.NotEqual(state, scalar); // the update did something
    }

    [Fact]
    public void The_quadratic_step_is_the_second_moment_recursion()
    {
        // u ← (1 − ηλ)² u + η²(σ²/B)λ, by hand for one element.
        var u = new[] { 2.0 };
        Elementwise.UpdateScalar(u, [0.5], new Quadratic.Step(0.4, 0.16 * 0.3));
        Assert.Equal(0.8 * 0.8 * 2.0 + 0.16 * 0.3 * 0.5, u[0], 1e-15);
    }
}
