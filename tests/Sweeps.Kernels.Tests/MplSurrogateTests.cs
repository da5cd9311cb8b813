using Sweeps.Core.Curves;
using Sweeps.Core.Schedules;
using Sweeps.Laws;
using Sweeps.Laws.Curves;
using Sweeps.Tests;

namespace Sweeps.Kernels.Tests;

public class MplSurrogateTests
{
    private static readonly MplSurrogate Kernel = new();

    private static Dictionary<string, double> Quiet => new() { ["eval_noise"] = 0 };

    private static double[] Cosine(double peak, int steps) =>
        Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Cosine, PeakLr = peak, FinalLrRatio = 0.1, WarmupSteps = 2160, TotalSteps = steps });

    [Fact]
    public void At_each_published_size_and_the_reference_lr_the_surrogate_is_the_published_fit()
    {
        foreach (var (size, published) in MplSurrogateCalibration.Published)
        {
            var surrogate = MplSurrogateCalibration.At(size, MplSurrogateCalibration.ReferenceLr);
            foreach (var (name, value) in published.ToDictionary())
            {
                Assert.Equal(value, surrogate.ToDictionary()[name], 1e-9 * value);
            }
        }

        // Between and beyond the sizes the trends continue: L0 falls towards E, B grows.
        var (small, between, large) = (MplSurrogateCalibration.At(1e7, 3e-4), MplSurrogateCalibration.At(2e8, 3e-4), MplSurrogateCalibration.At(4e9, 3e-4));
        Assert.True(small.L0 > 3.04 && between.L0 is < 2.792 and > 2.524 && large.L0 is < 2.524 and > MplSurrogateCalibration.IrreducibleLoss);
        Assert.True(small.B < 363.8 && large.B > 614.3);
    }

    [Fact]
    public void At_25m_it_predicts_the_nine_real_pretraining_curves_as_the_published_fit_does()
    {
        // The surrogate's law at 25M and the curves' peak (3e-4), at the curves' own steps.
        var manifest = CurveManifest.Load(RepositoryPaths.Mpl25mManifest).Manifest!;
        var parameters = MplSurrogateCalibration.At(2.5e7, 3e-4);
        var metrics = manifest.Curves
            .Select(c => FitMetrics.Of(c.Curve.Loss, MultiPowerLaw.Predict(parameters, new MplCurve(c.LearningRates, c.Curve.Steps))))
            .ToList();

        // It is the published fit there, so it has the published figures: held-out mean R² 0.99880.
        Assert.All(metrics, m => Assert.True(m.R2 > 0.996 && m.PredE < 0.0025, $"R² {m.R2}, PredE {m.PredE}"));
        Assert.Equal(0.99880, FitMetrics.Mean(metrics.Where((_, i) => !new[] { "cosine_24000", "constant_24000", "wsdcon_9" }.Contains(manifest.Curves[i].Name)).ToList()).R2, 1e-4);
    }

    [Fact]
    public void Without_noise_the_curve_is_the_calibrated_law_after_each_step_capped_at_the_initial_loss()
    {
        var lr = Cosine(2e-4, 8000);
        var run = Kernel.Run(new KernelRun(lr, 1e8, 0, Quiet, CurvePoints: 41));
        var parameters = MplSurrogateCalibration.At(1e8, 2e-4);

        Assert.Equal(10.4, run.Curve.Loss[0]); // before any update: the cap
        for (var i = 1; i < run.Curve.Steps.Length; i++)
        {
            var t = run.Curve.Steps[i];
            Assert.Equal(Math.Min(10.4, MultiPowerLaw.PredictNaive(parameters, lr, t - 1)), run.Curve.Loss[i], 1e-9);
        }

        Assert.Equal(run.Curve.Loss[^1], run.FinalLoss);
    }

    [Fact]
    public void The_best_peak_lr_is_interior_and_falls_with_the_horizon_and_the_model_size()
    {
        double BestPeak(double size, int steps)
        {
            var grid = Enumerable.Range(0, 13).Select(i => 5e-5 * Math.Pow(2, i / 2.0)).ToArray();
            var losses = grid.Select(peak => Kernel.Run(new KernelRun(Cosine(peak, steps), size, 0, Quiet))).Select(r => r.Outcome == RunOutcome.Succeeded ? r.FinalLoss : double.PositiveInfinity).ToArray();
            var best = Array.IndexOf(losses, losses.Min());
            Assert.InRange(best, 1, grid.Length - 2); // interior
            return grid[best];
        }

        Assert.True(BestPeak(2.5e7, 6000) > BestPeak(2.5e7, 24000) && BestPeak(2.5e7, 24000) > BestPeak(2.5e7, 72000));
        Assert.True(BestPeak(2.5e7, 24000) >= BestPeak(4e8, 24000) && BestPeak(4e8, 24000) > BestPeak(3e9, 24000));
    }

    [Fact]
    public void A_peak_above_the_size_dependent_threshold_diverges_at_the_end_of_warmup()
    {
        var lr = Cosine(6e-3, 24000);
        var large = Kernel.Run(new KernelRun(lr, 3e9, 0, Quiet));
        var small = Kernel.Run(new KernelRun(lr, 2.5e7, 0, Quiet));

        Assert.Equal(RunOutcome.Diverged, large.Outcome);
        Assert.True(double.IsNaN(large.FinalLoss));
        Assert.True(large.Curve.Steps[^1] <= 2160);
        Assert.Equal(RunOutcome.Succeeded, small.Outcome); // the threshold grows as the model shrinks
    }

    [Fact]
    public void Evaluation_noise_has_the_requested_spread_and_is_fixed_by_the_seed()
    {
        var lr = Cosine(3e-4, 24000);
        var noisy = new Dictionary<string, double> { ["eval_noise"] = 0.01 };
        var clean = Kernel.Run(new KernelRun(lr, 1e8, 0, Quiet, CurvePoints: 2001)).Curve.Loss;
        var run = Kernel.Run(new KernelRun(lr, 1e8, 4, noisy, CurvePoints: 2001)).Curve.Loss;
        var errors = run.Zip(clean, (a, b) => a - b).ToArray();
        var sd = Math.Sqrt(errors.Sum(e => e * e) / errors.Length);

        Assert.Equal(0.01, sd, 0.001);
        Assert.Equal(run, Kernel.Run(new KernelRun(lr, 1e8, 4, noisy, CurvePoints: 2001)).Curve.Loss);
        Assert.NotEqual(run, Kernel.Run(new KernelRun(lr, 1e8, 5, noisy, CurvePoints: 2001)).Curve.Loss);
    }

    [Fact]
    public void The_vectorised_law_matches_the_term_by_term_reference()
    {
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Wsd, PeakLr = 4e-4, FinalLrRatio = 0.05, DecayFraction = 0.2, DecayShape = DecayShape.Cosine, WarmupSteps = 300, TotalSteps = 3000 });
        var run = new KernelRun(lr, 2e8, 9, new Dictionary<string, double> { ["eval_noise"] = 1e-3 }, CurvePoints: 97);
        KernelAssert.SimdMatchesScalar(Kernel, run, 1e-9);
    }
}
