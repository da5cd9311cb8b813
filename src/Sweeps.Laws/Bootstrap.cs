using Sweeps.Laws.Mpl;
using Sweeps.Laws.Scaling;

namespace Sweeps.Laws;

/// <summary>
/// Percentile bootstrap intervals for fitted parameters: the data are resampled with replacement
/// (points within each curve, so every curve keeps its schedule and its weight), the law is
/// refitted from the original estimate each time, and the (1 − level)/2 and (1 + level)/2
/// quantiles of each parameter are reported. Deterministic for a given seed: every resample is
/// drawn up front, in order, from one seeded generator; only the refits run in parallel.
/// </summary>
public static class Bootstrap
{
    public static IReadOnlyDictionary<string, double[]> CurveLaw(
        string law, IReadOnlyList<MplObservation> train, IReadOnlyDictionary<string, double> estimate, int resamples, int seed = 0, double level = 0.95)
    {
        var random = new Random(seed);
        var resamplings = Enumerable.Range(0, resamples).Select(_ => train.Select(o => Resample(o, random)).ToList()).ToList();
        var samples = resamplings.AsParallel().AsOrdered().Select(resampled => CurveLaws.Refit(law, resampled, estimate)).ToList();
        return Percentiles(samples, level);
    }

    /// <summary>
    /// Intervals for a multi-scale MPL's coefficients: points resampled within each (thinned) curve,
    /// the law refitted from <paramref name="estimate"/> with its structure fixed (the structure's
    /// choice is not resampled, so the intervals are conditional on it).
    /// </summary>
    public static IReadOnlyDictionary<string, double[]> MultiScale(
        IReadOnlyList<ScaledCurve> train, MultiScaleMpl estimate, int resamples, int seed = 0, double level = 0.95)
    {
        var random = new Random(seed);
        var thinned = train.Select(MultiScaleMplFit.Thin).ToList();
        var resamplings = Enumerable.Range(0, resamples)
            .Select(_ => thinned.Select(c => Resample(c.Observation, random)).Zip(thinned, (o, c) => new ScaledCurve(c.Name, c.ModelSize, o.Curve, o.Loss)).ToList())
            .ToList();
        var samples = resamplings.AsParallel().AsOrdered()
            .Select(resampled => MultiScaleMplFit.Minimise(estimate, resampled).Law?.Coefficients())
            .OfType<IReadOnlyDictionary<string, double>>()
            .ToList();
        return Percentiles(samples, level);
    }

    /// <summary>The curve's points drawn with replacement (kept in step order; the schedule is the curve's).</summary>
    private static MplObservation Resample(MplObservation o, Random random)
    {
        var picks = Enumerable.Range(0, o.Loss.Length).Select(_ => random.Next(o.Loss.Length)).Order().ToArray();
        return new MplObservation(o.Name, new MplCurve(o.Curve.LearningRates, picks.Select(i => o.Curve.Steps[i]).ToArray()), picks.Select(i => o.Loss[i]).ToArray());
    }

    public static IReadOnlyDictionary<string, double[]> Chinchilla(
        IReadOnlyList<Chinchilla.Observation> observations, int resamples, int seed = 0, double level = 0.95)
    {
        var random = new Random(seed);
        var resamplings = Enumerable.Range(0, resamples)
            .Select(_ => Enumerable.Range(0, observations.Count).Select(_ => observations[random.Next(observations.Count)]).ToList())
            .ToList();
        var samples = resamplings.AsParallel().AsOrdered()
            .Select(resampled => Laws.Chinchilla.Fit(resampled).Parameters)
            .Where(parameters => parameters.Count > 0)
            .ToList();
        return Percentiles(samples, level);
    }

    internal static IReadOnlyDictionary<string, double[]> Percentiles(IReadOnlyList<IReadOnlyDictionary<string, double>> samples, double level)
    {
        if (samples.Count == 0)
        {
            return new Dictionary<string, double[]>();
        }

        return samples[0].Keys.ToDictionary(name => name, name =>
        {
            var values = samples.Select(s => s[name]).Where(double.IsFinite).Order().ToArray();
            return values.Length == 0 ? [double.NaN, double.NaN] : new[] { Quantile(values, (1 - level) / 2), Quantile(values, (1 + level) / 2) };
        });
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
