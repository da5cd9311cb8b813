using Sweeps.Core.Curves;
using Sweeps.Laws;
using Sweeps.Laws.Curves;

namespace Sweeps.Cli.Commands.Law;

/// <summary>Loads the curves of one or more manifests, printing every problem (file:line) to stderr.</summary>
internal static class ManifestCurves
{
    /// <param name="columns">Where the CSVs' step, loss and LR are, over each manifest's own mapping (null: as the manifests say).</param>
    public static List<ManifestCurve>? Load(IEnumerable<string> manifests, TextWriter errors, CurveColumns? columns = null)
    {
        var curves = new List<ManifestCurve>();
        var ok = true;
        foreach (var path in manifests)
        {
            var load = CurveManifest.Load(path, columns);
            foreach (var warning in load.Warnings)
            {
                errors.WriteLine("warning: " + warning.Format());
            }

            foreach (var error in load.Errors)
            {
                errors.WriteLine(error.Format());
            }

            ok &= load.Manifest is not null;
            curves.AddRange(load.Manifest?.Curves ?? []);
        }

        return ok ? curves : null;
    }

    /// <summary>
    /// Points of one curve the laws are fitted and scored on at most. A law's cost grows with the points
    /// (a 400,000-row log took 98 s to fit, 2,000,000 rows did not finish in 15 minutes), while a smooth
    /// loss curve is described as well by a few thousand of them; longer logs are thinned, evenly.
    /// </summary>
    public const int MaximumFitPoints = 2_000;

    /// <summary>
    /// A curve as the curve laws fit and score it: its post-warmup points (the MPL paper fits only
    /// those, as a sweep's own fits do; a warmup's first points are not the law's regime), or every
    /// point of a curve that has none after its warmup; at most <see cref="MaximumFitPoints"/> of
    /// them, evenly spaced with the last kept.
    /// </summary>
    public static MplObservation Observe(ManifestCurve curve)
    {
        var observed = Observed(curve);
        var kept = EvenlySpaced.Indices(observed.Length, MaximumFitPoints).Select(i => observed[i]).ToArray();
        if (kept.Length == curve.Curve.Count)
        {
            return new(curve.Name, new MplCurve(curve.LearningRates, curve.Curve.Steps), curve.Curve.Loss);
        }

        return new(curve.Name, new MplCurve(curve.LearningRates, [.. kept.Select(i => curve.Curve.Steps[i])]), [.. kept.Select(i => curve.Curve.Loss[i])]);
    }

    /// <summary>A line for stderr for each curve that <see cref="Observe"/> thins.</summary>
    public static IEnumerable<string> ThinningNotes(IEnumerable<ManifestCurve> curves) =>
        curves.Select(c => (Curve: c, Observed: Observed(c).Length)).Where(c => c.Observed > MaximumFitPoints).Select(c =>
            $"[sweeps] curve '{c.Curve.Name}': {c.Observed:N0} points; its laws are fitted and scored on {MaximumFitPoints:N0} evenly spaced ones (the last kept), so that a fit's time does not grow with the log's length");

    /// <summary>The indices of the post-warmup points, or of every point when none is after the warmup.</summary>
    private static int[] Observed(ManifestCurve curve)
    {
        var warmup = curve.Schedule.EffectiveWarmupSteps;
        var kept = Enumerable.Range(0, curve.Curve.Count).Where(i => curve.Curve.Steps[i] >= warmup).ToArray();
        return kept.Length > 0 ? kept : [.. Enumerable.Range(0, curve.Curve.Count)];
    }

    /// <summary>
    /// A name per curve that no other curve shares, for reports: the curve's own name, or, where
    /// manifests of several model sizes reuse a name (<c>cosine</c> at 1e8 and at 4e8), the name
    /// with its size (<c>cosine@4e+08</c>), and a counter if that still collides.
    /// </summary>
    public static string[] Keys(IReadOnlyList<ManifestCurve> curves)
    {
        var keys = curves.Select(c => curves.Count(o => o.Name == c.Name) == 1 ? c.Name : $"{c.Name}@{c.ModelSize?.ToString("G3") ?? "?"}").ToArray();
        for (var i = 0; i < keys.Length; i++)
        {
            var clashes = keys.Take(i).Count(k => k == keys[i]);
            if (clashes > 0)
            {
                keys[i] = $"{keys[i]}#{clashes + 1}";
            }
        }

        return keys;
    }

    /// <summary>The curves, observed under their <see cref="Keys"/>.</summary>
    public static List<MplObservation> ObserveAll(IReadOnlyList<ManifestCurve> curves) =>
        curves.Zip(Keys(curves), (curve, key) => Observe(curve) with { Name = key }).ToList();
}
