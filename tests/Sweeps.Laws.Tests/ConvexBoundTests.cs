using Sweeps.Core.Schedules;
using Sweeps.Laws.Curves;

namespace Sweeps.Laws.Tests;

/// <summary>Expected values from the convex-dominance digest's validation cases (V1, V3–V5, V13), D = G = 1, L* = 0.</summary>
public class ConvexBoundTests
{
    private static double Bound(double[] lr) => ConvexBound.Features(lr, lr.Length) is var (x1, x2) ? x1 + x2 : 0;

    [Theory]
    [InlineData(new[] { 3.0, 1, 2 }, 17.0 / 6)]
    [InlineData(new[] { 1.0, 0.5, 0.25, 0.125 }, 831.0 / 560)]
    [InlineData(new[] { 0.1, 1, 1, 0.5 }, 8666.0 / 4875)]
    [InlineData(new[] { 1.0 }, 1.0)]
    [InlineData(new[] { 1.0, 1 }, 5.0 / 4)]
    public void Exact_rational_values_of_the_bound(double[] lr, double expected)
    {
        Assert.Equal(expected, Bound(lr), 1e-14);
        Assert.Equal(expected, ConvexBound.BoundNaive(lr, lr.Length, 0, 1, 1), 1e-14);
    }

    [Fact]
    public void The_o_t_form_matches_eq_2_4_on_random_schedules()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 20; trial++)
        {
            var lr = Enumerable.Range(0, random.Next(1, 300)).Select(_ => random.NextDouble() + 1e-3).ToArray();
            var tau = random.Next(1, lr.Length + 1);
            var (x1, x2) = ConvexBound.Features(lr, tau);
            var naive = ConvexBound.BoundNaive(lr, tau, 0.5, 0.7, 1.3);
            Assert.Equal(naive, 0.5 + 0.49 * x1 + 1.69 * x2, 1e-13 * naive);
        }
    }

    [Theory]
    [InlineData(10, 0.7410119047619047)]
    [InlineData(100, 0.9432732943126)]
    [InlineData(1000, 1.274337295749)]
    public void Constant_schedule_matches_its_harmonic_closed_form(int steps, double expected) =>
        Assert.Equal(expected, Bound(Enumerable.Repeat(0.3, steps).ToArray()), 1e-12);

    [Theory]
    [InlineData(10, 0.6728993506493506)]
    [InlineData(100, 0.34703543288295)]
    [InlineData(1000, 0.30542534458817)]
    public void Linear_decay_matches_its_closed_form(int steps, double expected)
    {
        // η_t = η(T − t + 1)/T, our linear schedule to 0 with no warmup.
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Linear, PeakLr = 0.3, FinalLr = 0, Warmup = WarmupKind.None, TotalSteps = steps });
        Assert.Equal(expected, Bound(lr), 1e-12);
    }

    [Fact]
    public void Optimal_peak_lr_of_linear_decay_matches_the_digest()
    {
        var shape = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Linear, PeakLr = 1, FinalLr = 0, Warmup = WarmupKind.None, TotalSteps = 1000 });
        var (peak, bound) = ConvexBound.OptimalPeakLr(shape, 0, 1, 1);
        Assert.Equal(0.0314972, peak, 1e-7);
        Assert.Equal(0.0634343, bound, 1e-7);
    }

    [Theory]
    [InlineData(1000, 1.065221)]
    [InlineData(10000, 1.061484)]
    public void Cosine_shape_constant_c2_matches_the_digest(int steps, double expected)
    {
        var shape = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Cosine, PeakLr = 1, FinalLr = 0, Warmup = WarmupKind.None, TotalSteps = steps });
        Assert.Equal(expected, ConvexBound.ShapeConstants(shape).C2, 1e-6);
    }

    [Fact]
    public void Fitting_the_first_half_of_a_generated_curve_recovers_its_parameters_and_predicts_the_rest()
    {
        // V13: L∞ = 2, D̃² = 0.5, G̃² = 3, cosine with 2% warmup, T = 2000, η_peak = 0.1.
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Cosine, PeakLr = 0.1, FinalLr = 0, WarmupSteps = 40, TotalSteps = 2000 });
        var truth = new Dictionary<string, double> { ["L_inf"] = 2.0, ["D2"] = 0.5, ["G2"] = 3.0 };
        var first = new MplCurve(lr, Enumerable.Range(1, 999).ToArray());    // τ = 2..1000
        var second = new MplCurve(lr, Enumerable.Range(1000, 1000).ToArray()); // τ = 1001..2000

        var report = CurveLaws.Fit("convex", [new MplObservation("first", first, CurveLaws.Predict("convex", truth, first))]);

        Assert.Equal(2.0, report.Parameters["L_inf"], 1e-8);
        Assert.Equal(0.5, report.Parameters["D2"], 1e-8);
        Assert.Equal(3.0, report.Parameters["G2"], 1e-8);
        var actual = CurveLaws.Predict("convex", truth, second);
        Assert.Equal(1.0, FitMetrics.Of(actual, CurveLaws.Predict("convex", report.Parameters, second)).R2, 1e-9);
    }
}
