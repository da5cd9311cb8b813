namespace Sweeps.Kernels.Tests;

public class PowerSumsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(11)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(1000)]
    [InlineData(100_000)]
    public void Tail_of_the_basel_series_matches_pi_squared_over_six_minus_the_head(long from)
    {
        // ζ(2) = π²/6, so Σ_{i ≥ n} i⁻² = π²/6 − Σ_{i < n} i⁻².
        var head = 0.0;
        for (long i = from - 1; i >= 1; i--)
        {
            head += 1.0 / ((double)i * i);
        }

        var expected = Math.PI * Math.PI / 6 - head;
        Assert.Equal(expected, PowerSums.Tail(2, from), 1e-13);
    }

    [Fact]
    public void Tail_from_one_of_the_fourth_powers_is_pi_to_the_fourth_over_ninety() =>
        Assert.Equal(Math.Pow(Math.PI, 4) / 90, PowerSums.Tail(4, 1), 1e-15);

    [Fact]
    public void Series_that_do_not_converge_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PowerSums.Tail(1.0, 1));
}
