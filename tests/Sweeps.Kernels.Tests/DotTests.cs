namespace Sweeps.Kernels.Tests;

public class DotTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(1001)]
    public void Vectorised_dot_matches_the_scalar_one(int length)
    {
        var random = new Random(length);
        var x = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        var y = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        Assert.Equal(Dot.Scalar(x, y), Dot.Vectorised(x, y), 1e-12);
    }
}
