namespace Sweeps.Kernels.Tests;

public class DotTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(16)]
    [InlineData(21)]
    [InlineData(1001)]
    public void Vectorised_dot_matches_the_scalar_one(int length)
    {
        var random = new Random(length);
        var x = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        var y = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
        Assert.Equal(Dot.Scalar(x, y), Dot.Vectorised(x, y), 1e-12);
    }

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    public void Vectorised_dot_adds_in_its_documented_order_so_every_silo_gets_the_same_bits(int bits)
    {
        // 37 = two blocks of 16 (lane l of accumulator a sums elements 16b + 4a + l), one more
        // 4-lane step into accumulator 0, then a scalar tail of one; the accumulators and lanes
        // combine as ((a0 + a1) + (a2 + a3)), then (l0 + l1) + (l2 + l3).
        var random = new Random(37);
        var x = Enumerable.Range(0, 37).Select(_ => random.NextDouble() - 0.5).ToArray();
        var y = Enumerable.Range(0, 37).Select(_ => random.NextDouble() - 0.5).ToArray();
        var lanes = new double[4, 4];
        for (var block = 0; block < 2; block++)
        {
            for (var a = 0; a < 4; a++)
            {
                for (var l = 0; l < 4; l++)
                {
                    lanes[a, l] += x[16 * block + 4 * a + l] * y[16 * block + 4 * a + l];
                }
            }
        }

        for (var l = 0; l < 4; l++)
        {
            lanes[0, l] += x[32 + l] * y[32 + l];
        }

        var combined = Enumerable.Range(0, 4).Select(l => (lanes[0, l] + lanes[1, l]) + (lanes[2, l] + lanes[3, l])).ToArray();
        var expected = (combined[0] + combined[1]) + (combined[2] + combined[3]) + x[36] * y[36];
        Assert.Equal(expected, bits == 256 ? Dot.Vectorised256(x, y) : Dot.Vectorised128(x, y));
        Assert.Equal(expected, Dot.Vectorised(x, y)); // whichever this machine takes
    }

    [Fact]
    public void The_128_bit_path_gives_the_256_bit_paths_bits_at_every_length()
    {
        // A silo without 256-bit vectors in hardware (Arm's NEON) must agree with one that has them.
        var random = new Random(7);
        for (var length = 0; length <= 200; length++)
        {
            var x = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
            var y = Enumerable.Range(0, length).Select(_ => random.NextDouble() - 0.5).ToArray();
            Assert.Equal(Dot.Vectorised256(x, y), Dot.Vectorised128(x, y));
        }
    }
}
