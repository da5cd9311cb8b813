using Sweeps.Laws.Solvers;

namespace Sweeps.Laws.Tests;

/// <summary>The one-dimensional search over MathNet's golden section, against closed-form minima.</summary>
public sealed class GoldenSectionTests
{
    [Theory]
    [InlineData(2.0, 0.0, 5.0)]   // inside, left of MathNet's first middle point
    [InlineData(3.7, 0.0, 5.0)]   // inside, right of it
    [InlineData(-1.25, -4.0, 9.0)]
    public void An_interior_minimum_is_found_within_the_tolerance(double minimum, double low, double high)
    {
        var result = GoldenSection.Minimize(x => Math.Cosh(x - minimum), low, high, tolerance: 1e-6);

        Assert.Equal(minimum, result.Point[0], 1e-5);
        Assert.Equal(1.0, result.Value, 1e-9); // cosh(0)
        Assert.True(result.Iterations > 0 && result.Evaluations > result.Iterations);
    }

    [Fact]
    public void Each_point_is_evaluated_once_as_a_golden_section_needs_one_evaluation_an_iteration()
    {
        var calls = 0;
        var result = GoldenSection.Minimize(x => { calls++; return (x - 1.3) * (x - 1.3); }, 0, 4, tolerance: 1e-6);

        Assert.Equal(calls, result.Evaluations);
        // The scan's 9 points, MathNet's new bracket end, then about one point an iteration.
        Assert.InRange(calls, result.Iterations, GoldenSection.ScanSteps + 2 + result.Iterations + 2);
    }

    [Fact]
    public void A_function_falling_toward_an_end_returns_that_end_for_the_caller_to_look_beyond()
    {
        Assert.Equal(3.0, GoldenSection.Minimize(x => (x - 2) * (x - 2), 3, 5, 1e-6).Point[0]);
        Assert.Equal(5.0, GoldenSection.Minimize(x => -x, 3, 5, 1e-6).Point[0]);
    }

    [Fact]
    public void A_region_where_the_function_is_not_finite_counts_as_the_worst_and_the_minimum_beside_it_is_found()
    {
        // A law that diverges below x = 1 (NaN) and above x = 4.5 (+∞): MathNet alone would throw.
        var result = GoldenSection.Minimize(x => x < 1 ? double.NaN : x > 4.5 ? double.PositiveInfinity : (x - 2) * (x - 2), 0, 5, 1e-6);

        Assert.Equal(2.0, result.Point[0], 1e-5);
    }

    [Fact]
    public void An_empty_window_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => GoldenSection.Minimize(x => x, 1, 1, 1e-6));
    }
}
