namespace Sweeps.Kernels.Tests;

public class ElementwiseTests
{
    public static TheoryData<string> Updates => ["quadratic", "random-feature", "river-valley"];

    [Theory]
    [MemberData(nameof(Updates))]
    public void Every_width_gives_every_element_the_scalar_bits(string kernel)
    {
        // 37 elements: four 8-lane vectors, one 4-lane vector and a scalar tail on an AVX-512 machine.
        var random = new Random(kernel.Length);
        var coefficient = Enumerable.Range(0, 37).Select(_ => random.NextDouble()).ToArray();
        var state = Enumerable.Range(0, 37).Select(_ => random.NextDouble()).ToArray();
        var (vectorised, scalar) = ((double[])state.Clone(), (double[])state.Clone());
        switch (kernel)
        {
            case "quadratic":
                Elementwise.Update(vectorised, coefficient, new Quadratic.Step(0.37, 0.02));
                Elementwise.UpdateScalar(scalar, coefficient, new Quadratic.Step(0.37, 0.02));
                break;
            case "random-feature":
                Elementwise.Update(vectorised, coefficient, new RandomFeature.Step(0.3, 0.02, 0.001));
                Elementwise.UpdateScalar(scalar, coefficient, new RandomFeature.Step(0.3, 0.02, 0.001));
                break;
            default:
                Elementwise.Update(vectorised, coefficient, new RiverValley.HillStep(0.4, 0.3));
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
