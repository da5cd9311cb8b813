using Sweeps.Core.Schedules;
using Sweeps.Laws.Curves;
using Sweeps.Laws.Scaling;
using Sweeps.Tests;

namespace Sweeps.Laws.Tests;

/// <summary>The multi-scale multi-power law: its Jacobian, its coefficient files, and recovering a known law from its own curves.</summary>
public class MultiScaleMplTests
{
    private static ScalingForm[] Forms => KnownMultiScaleLaw.Forms;

    private static MultiScaleMpl Truth() => KnownMultiScaleLaw.Create();

    private static ScaledCurve Curve(MultiScaleMpl law, double size, double peak, int steps, ScheduleKind kind)
    {
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = kind, PeakLr = peak, FinalLrRatio = 0.1, WarmupSteps = 200, TotalSteps = steps, DecayFraction = 0.2 });
        var at = Enumerable.Range(1, 30).Select(i => 200 + (steps - 201) * i / 30).ToArray();
        var mplCurve = new MplCurve(lr, at);
        return new ScaledCurve($"{size:G2}-{peak:G2}-{steps}-{kind}", size, mplCurve, law.Predict(size, mplCurve));
    }

    [Fact]
    public void The_jacobian_matches_central_differences_in_every_coefficient()
    {
        var law = Truth();
        var curves = new[] { Curve(law, 1e8, 2e-4, 3000, ScheduleKind.Cosine), Curve(law, 4e8, 5e-4, 4000, ScheduleKind.Wsd) };
        var count = curves.Sum(c => c.Loss.Length);
        var (values, jacobian) = (new double[count], new double[count * law.ThetaLength]);
        Assert.True(law.Evaluate(curves, values, jacobian));
        for (var k = 0; k < law.ThetaLength; k++)
        {
            const double h = 1e-6;
            var (up, down) = (law.Theta.ToArray(), law.Theta.ToArray());
            up[k] += h;
            down[k] -= h;
            var (plus, minus) = (new double[count], new double[count]);
            law.With(up).Evaluate(curves, plus, []);
            law.With(down).Evaluate(curves, minus, []);
            for (var i = 0; i < count; i++)
            {
                var numeric = (plus[i] - minus[i]) / (2 * h);
                Assert.True(Math.Abs(numeric - jacobian[i * law.ThetaLength + k]) <= 1e-5 * Math.Max(1, Math.Abs(numeric)),
                    $"θ[{k}] at point {i}: analytic {jacobian[i * law.ThetaLength + k]}, numeric {numeric}");
            }
        }
    }

    [Fact]
    public void Coefficients_written_and_read_back_give_the_same_law()
    {
        var law = Truth();
        var back = MultiScaleMpl.FromCoefficients(law.Coefficients());
        Assert.Equal(law.Forms, back.Forms);
        Assert.Equal(law.At(3.2e9, 1.3e-4), back.At(3.2e9, 1.3e-4));
        Assert.True(MultiScaleMpl.IsMultiScale(law.Coefficients()));
        Assert.False(MultiScaleMpl.IsMultiScale(MultiPowerLawParameters.Published25M.ToDictionary()));
    }

    [Fact]
    public void The_loss_floor_rises_by_B_times_the_peak_LR_as_the_laws_derivation_says()
    {
        // Digest multi-power-law §2.5: L0 = (d/4)·η_max·μ and B = dμ/4, so ∂L0/∂η_peak = B (κ = 1 here).
        var law = Truth();
        var (low, high) = (law.At(1e9, 1e-4), law.At(1e9, 2e-4));
        Assert.Equal(low.B * 1e-4, high.L0 - low.L0, 1e-12);
        Assert.Equal(low.A, high.A);
    }

    [Fact]
    public void A_law_is_recovered_from_its_own_curves_and_extrapolates_to_8x_the_largest_size()
    {
        // Curves of the known law at 1e8, 2e8 and 4e8, two peaks and two schedules each: the fit with the
        // true structure reproduces the final loss of a cosine run at 3.2e9 for 8× the steps.
        var truth = Truth();
        var curves = (from n in new[] { 1e8, 2e8, 4e8 }
                      from peak in new[] { 2e-4, 4e-4 }
                      from kind in new[] { ScheduleKind.Cosine, ScheduleKind.Wsd }
                      from steps in new[] { 2000, 4000 }
                      select Curve(truth, n, peak, steps, kind)).ToList();

        var fit = MultiScaleMplFit.Fit(curves, [Forms]);

        Assert.NotNull(fit.Law);
        Assert.Empty(fit.StructureScores); // one candidate: nothing to choose
        Assert.Null(fit.Criterion);
        var target = Curve(truth, 3.2e9, 1.5e-4, 32_000, ScheduleKind.Cosine);
        var predicted = fit.Law!.Predict(3.2e9, target.Curve)[^1];
        // 3 sizes fix the floor's three coefficients only up to how the LR term's reference is chosen:
        // the extrapolation, not each coefficient, is what must hold.
        Assert.Equal(target.Loss[^1], predicted, target.Loss[^1] * 1e-3);
        Assert.Equal(1.0, fit.Law.Coefficients()["lr_slope"], 0.05);
    }

    [Fact]
    public void One_model_size_is_refused_with_a_reason()
    {
        var law = Truth();
        var fit = MultiScaleMplFit.Fit([Curve(law, 1e8, 2e-4, 3000, ScheduleKind.Cosine), Curve(law, 1e8, 4e-4, 3000, ScheduleKind.Cosine)]);
        Assert.Null(fit.Law);
        Assert.Contains("at least two model sizes", Assert.Single(fit.Report.Warnings));
    }
}
