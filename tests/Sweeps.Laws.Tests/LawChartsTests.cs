using Sweeps.Core.Curves;
using Sweeps.Core.Grid;
using Sweeps.Core.Schedules;
using Sweeps.Laws.Charts;

namespace Sweeps.Laws.Tests;

public class LawChartsTests
{
    [Fact]
    public void The_chinchilla_chart_shows_each_scales_best_loss_beside_the_closed_form_prediction()
    {
        var truth = new ChinchillaParameters(1.0, 5.0, 0.5, 8.0, 0.4);
        var points = (from n in new[] { 10.0, 40, 160, 640 }
                      from t in new[] { 100, 400, 1600 }
                      from lr in new[] { 0.05, 0.1, 0.2 }
                      select new FinalLossPoint(n, t, lr, 0, "cosine", 0, truth.Predict(n, t) * (lr == 0.1 ? 1 : 1.2))).ToList();
        var fits = SweepLaws.Fit(["chinchilla"], points);

        var chart = LawCharts.Chinchilla(fits, points);

        Assert.Equal(12, chart.Count);
        var p = fits[0].Parameters;
        foreach (var point in chart)
        {
            Assert.Equal(points.Where(x => x.ModelSize == point.ModelSize && x.TotalSteps == point.TotalSteps).Min(x => x.FinalLoss), point.Observed);
            var closedForm = p["E"] + p["A"] / Math.Pow(point.ModelSize, p["alpha"]) + p["B"] / Math.Pow(point.TotalSteps, p["beta"]);
            Assert.Equal(closedForm, point.Predicted, 1e-12);
            Assert.Equal(point.Observed - point.Predicted, point.Residual);
            Assert.True(Math.Abs(point.Residual) < 1e-3 * point.Observed, $"N {point.ModelSize}, T {point.TotalSteps}: residual {point.Residual}");
        }

        Assert.Empty(LawCharts.Chinchilla([new FitReport("chinchilla") { Warnings = ["too few points"] }], points));
    }

    [Fact]
    public void The_optimal_lr_lines_follow_the_power_law_over_the_fitted_sizes_one_per_horizon()
    {
        var report = new FitReport(SweepLaws.OptimalLr)
        {
            Parameters = new Dictionary<string, double> { ["c"] = 0.5, ["a"] = -0.3, ["b"] = -0.5 },
            OptimalLr = [.. from n in new[] { 10.0, 1000 } from t in new[] { 400, 100 } select new OptimalLrPoint(n, t, 0.01, 1, 0.01, 1, "cosine", 0, false)],
        };

        var lines = LawCharts.OptimalLrLines(report);

        Assert.Equal([100, 400], lines.Select(l => l.TotalSteps));
        foreach (var line in lines)
        {
            Assert.Equal(LawCharts.LinePoints, line.ModelSize.Count);
            Assert.Equal(10, line.ModelSize[0], 1e-9);
            Assert.Equal(1000, line.ModelSize[^1], 1e-9);
            for (var i = 0; i < line.ModelSize.Count; i++)
            {
                Assert.Equal(0.5 * Math.Pow(line.ModelSize[i], -0.3) * Math.Pow(line.TotalSteps, -0.5), line.PeakLr[i], 1e-15);
            }
        }

        Assert.Empty(LawCharts.OptimalLrLines(report with { Parameters = new Dictionary<string, double>() }));
    }

    [Fact]
    public void A_curve_law_chart_predicts_the_curves_of_its_scope_at_their_own_steps()
    {
        // A constant LR η: after t updates the LR sum is η·t, so the power law is L0 + A·(η·t)^(−α) exactly.
        const double eta = 0.1, l0 = 2.0, a = 3.0, alpha = 0.5;
        RunCurve Curve(double modelSize)
        {
            var schedule = new ScheduleSpec { Kind = ScheduleKind.Constant, PeakLr = eta, Warmup = WarmupKind.None, TotalSteps = 500 };
            var run = new RunDefinition(0, eta, 0, modelSize, 500, "constant", schedule, 0, new Dictionary<string, double>());
            int[] steps = [1, 10, 100, 500];
            return new RunCurve(run, new Curve(steps, [.. steps.Select(_ => eta)], [.. steps.Select(t => l0 + a * Math.Pow(eta * t, -alpha))]));
        }

        var fit = new FitReport("power")
        {
            Parameters = new Dictionary<string, double> { ["L0"] = l0, ["A"] = a, ["alpha"] = alpha },
            Scope = new Dictionary<string, double> { ["model_size"] = 64, ["peak_lr"] = eta, ["warmup_steps"] = 0 },
        };

        var chart = LawCharts.CurveLaw(fit, [Curve(64), Curve(128)]);

        var run = Assert.Single(chart); // the model size 128 curve is another fit's
        Assert.Equal([10, 100, 500], run.Steps); // as in the fits, the first update (s = 0, no LR area yet) is left out
        for (var i = 0; i < run.Steps.Count; i++)
        {
            Assert.Equal(l0 + a * Math.Pow(eta * run.Steps[i], -alpha), run.Observed[i], 1e-12);
            Assert.Equal(run.Observed[i], run.Predicted[i], 1e-12);
        }
    }
}
