using Sweeps.Core.Schedules;
using Sweeps.Laws.Curves;

namespace Sweeps.Laws.Tests;

public class BootstrapTests
{
    [Fact]
    public void Quantiles_interpolate_between_order_statistics_like_numpys_default()
    {
        double[] sorted = [1, 2, 3, 4, 10];
        Assert.Equal(1.0, Bootstrap.Quantile(sorted, 0));
        Assert.Equal(3.0, Bootstrap.Quantile(sorted, 0.5));
        Assert.Equal(2.5, Bootstrap.Quantile(sorted, 0.375));  // numpy.quantile([1,2,3,4,10], 0.375)
        Assert.Equal(8.8, Bootstrap.Quantile(sorted, 0.95), 1e-12); // 4 + 0.8·6
    }

    private static List<MplObservation> PowerCurves(Func<int, double> noise)
    {
        var truth = new Dictionary<string, double> { ["L0"] = 3.0, ["A"] = 0.5, ["alpha"] = 0.5 };
        var steps = Enumerable.Range(0, 40).Select(i => 100 + 50 * i).ToArray();
        return new[] { 3e-4, 1e-4 }.Select((peak, c) =>
        {
            var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Constant, PeakLr = peak, WarmupSteps = 100, TotalSteps = 2100 });
            var curve = new MplCurve(lr, steps);
            var loss = CurveLaws.Predict("power", truth, curve).Select((l, i) => l * (1 + noise(c * 1000 + i))).ToArray();
            return new MplObservation($"c{c}", curve, loss);
        }).ToList();
    }

    [Fact]
    public void Without_noise_every_resample_gives_the_same_fit_so_intervals_collapse()
    {
        var train = PowerCurves(_ => 0);
        var fit = CurveLaws.Fit("power", train);

        var intervals = Bootstrap.CurveLaw("power", train, fit.Parameters, resamples: 20).Intervals;

        foreach (var (name, value) in fit.Parameters)
        {
            Assert.Equal(value, intervals[name][0], 1e-6 * Math.Abs(value));
            Assert.Equal(value, intervals[name][1], 1e-6 * Math.Abs(value));
        }
    }

    [Fact]
    public void With_noise_intervals_have_width_and_cover_the_truth()
    {
        var random = new Random(11);
        var noise = Enumerable.Range(0, 2000).Select(_ => 0.002 * (random.NextDouble() * 2 - 1)).ToArray();
        var train = PowerCurves(i => noise[i]);
        var fit = CurveLaws.Fit("power", train);

        var intervals = Bootstrap.CurveLaw("power", train, fit.Parameters, resamples: 200).Intervals;

        foreach (var (name, truth) in new Dictionary<string, double> { ["L0"] = 3.0, ["A"] = 0.5, ["alpha"] = 0.5 })
        {
            Assert.True(intervals[name][1] > intervals[name][0], name);
            Assert.InRange(truth, intervals[name][0], intervals[name][1]);
        }
    }

    [Fact]
    public void Over_many_noisy_data_sets_intervals_contain_their_estimate_and_mostly_the_truth()
    {
        // Coverage on synthetic data with known parameters: 20 data sets of the power law with ±0.2%
        // noise, 40 resamples each. Every interval must contain its own estimate; a nominal 95%
        // interval must contain the truth in most data sets (≥ 15 of 20: a binomial(20, 0.95) falls
        // below 16 with probability 1.6%, and the percentile bootstrap runs a little narrow).
        var truth = new Dictionary<string, double> { ["L0"] = 3.0, ["A"] = 0.5, ["alpha"] = 0.5 };
        var covered = truth.Keys.ToDictionary(k => k, _ => 0);
        for (var set = 0; set < 20; set++)
        {
            var random = new Random(100 + set);
            var noise = Enumerable.Range(0, 2000).Select(_ => 0.002 * (random.NextDouble() * 2 - 1)).ToArray();
            var train = PowerCurves(i => noise[i]);
            var fit = CurveLaws.Fit("power", train);

            var intervals = Bootstrap.CurveLaw("power", train, fit.Parameters, resamples: 40, seed: set).Intervals;

            foreach (var (name, value) in truth)
            {
                Assert.InRange(fit.Parameters[name], intervals[name][0], intervals[name][1]);
                covered[name] += intervals[name][0] <= value && value <= intervals[name][1] ? 1 : 0;
            }
        }

        Assert.All(covered, c => Assert.True(c.Value >= 15, $"{c.Key}: truth inside {c.Value} of 20 intervals"));
    }

    [Fact]
    public void Resamples_that_found_another_optimum_widen_the_interval_to_the_estimate_and_say_so()
    {
        // 19 resamples near 1.0 and the estimate at 5.0 (its own optimum): the percentile interval
        // [~1, ~1] would not contain it.
        var samples = Enumerable.Range(0, 19).Select(i => (IReadOnlyDictionary<string, double>)new Dictionary<string, double> { ["E"] = 1.0 + 0.01 * i }).ToList();

        var result = Bootstrap.Percentiles(samples, 0.95, new Dictionary<string, double> { ["E"] = 5.0 }, attempted: 20);

        Assert.Equal(5.0, result.Intervals["E"][1]);
        Assert.True(result.Intervals["E"][0] < 1.01);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("E: the estimate 5 lies outside", warning);
        Assert.Contains("19 of 19 resamples", warning);
    }

    [Fact]
    public void With_fewer_than_half_the_resamples_fitted_there_are_no_intervals_and_a_warning()
    {
        var samples = new List<IReadOnlyDictionary<string, double>> { new Dictionary<string, double> { ["E"] = 1.1 } };

        var result = Bootstrap.Percentiles(samples, 0.95, new Dictionary<string, double> { ["E"] = 1.0 }, attempted: 100);

        Assert.Empty(result.Intervals);
        Assert.Contains("only 1 of 100 bootstrap resamples", Assert.Single(result.Warnings));
    }
}
