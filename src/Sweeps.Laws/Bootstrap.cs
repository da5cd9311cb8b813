using Sweeps.Laws.Curves;
using Sweeps.Laws.Scaling;

namespace Sweeps.Laws;

/// <summary>
/// Percentile bootstrap intervals for fitted parameters: the data are resampled with replacement
/// (points within each curve, so every curve keeps its schedule and its weight), the law is
/// refitted from the original estimate each time, and the (1 − level)/2 and (1 + level)/2
/// quantiles of each parameter are reported. Deterministic for a given seed: every resample is
/// drawn up front, in order, from one seeded generator; only the refits run in parallel.
/// An interval always contains its estimate: when it would not (resamples fell into another optimum,
/// or the parameter is poorly identified), it is widened to reach the estimate and a warning says so.
/// </summary>
public static class Bootstrap
{
    /// <summary>Intervals [low, high] by parameter, and what had to be said of them.</summary>
    public sealed record Result(IReadOnlyDictionary<string, double[]> Intervals, IReadOnlyList<string> Warnings)
    {
        public static Result None { get; } = new(new Dictionary<string, double[]>(), []);
    }

    /// <param name="mplMethod">How the estimate was fitted (the MPL's <c>reference</c> is refitted by its whole pipeline).</param>
    /// <param name="progress">Told the number of resamples refitted so far, as each finishes (from any thread).</param>
    public static Result CurveLaw(
        string law, IReadOnlyList<MplObservation> train, IReadOnlyDictionary<string, double> estimate, int resamples, int seed = 0, double level = 0.95,
        string? mplMethod = null, Action<int>? progress = null)
    {
        var random = new Random(seed);
        var resamplings = Enumerable.Range(0, resamples).Select(_ => train.Select(o => Resample(o, random)).ToList()).ToList();
        var done = 0;
        var samples = resamplings.AsParallel().AsOrdered().Select(resampled =>
        {
            var refit = CurveLaws.Refit(law, resampled, estimate, mplMethod: mplMethod);
            progress?.Invoke(Interlocked.Increment(ref done));
            return refit;
        }).Where(p => p.Count > 0).ToList();
        return Percentiles(samples, level, estimate, resamples);
    }

    /// <summary>
    /// Intervals for a multi-scale MPL's coefficients: points resampled within each (thinned) curve,
    /// the law refitted from <paramref name="estimate"/> with its structure fixed (the structure's
    /// choice is not resampled, so the intervals are conditional on it).
    /// </summary>
    public static Result MultiScale(
        IReadOnlyList<ScaledCurve> train, MultiScaleMpl estimate, int resamples, int seed = 0, double level = 0.95)
    {
        var random = new Random(seed);
        var thinned = train.Select(MultiScaleMplFit.Thin).ToList();
        var resamplings = Enumerable.Range(0, resamples)
            .Select(_ => thinned.Select(c => Resample(c.Observation, random)).Zip(thinned, (o, c) => new ScaledCurve(c.Name, c.ModelSize, o.Curve, o.Loss)).ToList())
            .ToList();
        var samples = resamplings.AsParallel().AsOrdered()
            .Select(resampled => MultiScaleMplFit.Minimize(estimate, resampled).Law?.Coefficients())
            .OfType<IReadOnlyDictionary<string, double>>()
            .ToList();
        return Percentiles(samples, level, estimate.Coefficients(), resamples);
    }

    /// <summary>The curve's points drawn with replacement (kept in step order; the schedule is the curve's).</summary>
    private static MplObservation Resample(MplObservation o, Random random)
    {
        var picks = Enumerable.Range(0, o.Loss.Length).Select(_ => random.Next(o.Loss.Length)).Order().ToArray();
        return new MplObservation(o.Name, new MplCurve(o.Curve.LearningRates, picks.Select(i => o.Curve.Steps[i]).ToArray()), picks.Select(i => o.Loss[i]).ToArray());
    }

    public static Result Chinchilla(
        IReadOnlyList<Chinchilla.Observation> observations, IReadOnlyDictionary<string, double> estimate, int resamples, int seed = 0, double level = 0.95)
    {
        var random = new Random(seed);
        var resamplings = Enumerable.Range(0, resamples)
            .Select(_ => Enumerable.Range(0, observations.Count).Select(_ => observations[random.Next(observations.Count)]).ToList())
            .ToList();
        var samples = resamplings.AsParallel().AsOrdered()
            .Select(resampled => Laws.Chinchilla.Fit(resampled).Parameters)
            .Where(parameters => parameters.Count > 0)
            .ToList();
        return Percentiles(samples, level, estimate, resamples);
    }

    /// <param name="attempted">How many resamples were drawn; <paramref name="samples"/> holds those that could be fitted.</param>
    internal static Result Percentiles(IReadOnlyList<IReadOnlyDictionary<string, double>> samples, double level, IReadOnlyDictionary<string, double> estimate, int attempted)
    {
        // Quantiles of the resamples that happened to be fittable are not the sampling distribution
        // (a Chinchilla fit of six points needs more than five distinct ones, which few resamples keep):
        // with fewer than half fitted there is no interval to give.
        if (samples.Count * 2 < attempted)
        {
            return new Result(new Dictionary<string, double[]>(),
                [$"only {samples.Count} of {attempted} bootstrap resamples could be fitted (too few points to resample); no intervals"]);
        }

        var warnings = new List<string>();
        var intervals = samples[0].Keys.ToDictionary(name => name, name =>
        {
            var values = samples.Select(s => s[name]).Where(double.IsFinite).Order().ToArray();
            if (values.Length == 0)
            {
                return new[] { double.NaN, double.NaN };
            }

            var (low, high) = (Quantile(values, (1 - level) / 2), Quantile(values, (1 + level) / 2));
            if (estimate.TryGetValue(name, out var value) && double.IsFinite(value) && (value < low || value > high))
            {
                var beyond = values.Count(v => value < low ? v > value : v < value);
                warnings.Add($"{name}: the estimate {value:G6} lies outside the middle {level:P0} of the resampled fits [{low:G6}, {high:G6}] " +
                    $"({beyond} of {values.Length} resamples on one side of it: they found another optimum, or {name} is poorly identified); " +
                    $"the interval is widened to reach the estimate");
                (low, high) = (Math.Min(low, value), Math.Max(high, value));
            }

            return new[] { low, high };
        });
        return new Result(intervals, warnings);
    }

    /// <summary>Linear interpolation between order statistics (type 7, as numpy's default).</summary>
    internal static double Quantile(double[] sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}
