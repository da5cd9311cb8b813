using Sweeps.Core.Curves;
using Sweeps.Laws.Curves;

namespace Sweeps.Kernels;

/// <summary>
/// The <see cref="MplSurrogate"/> twin run under the schedules of a curve manifest (the paper's
/// nine, say) at a model size of choice: an independent case for judging how law fits generalise,
/// with the law's truth known. Each curve is one run seeded by its position.
/// </summary>
public static class MplSurrogateCurves
{
    /// <summary>
    /// The twin's curves, post-warmup points only (as the paper fits), each as an observation whose
    /// evaluated steps are the law's step indices (the twin records the law at t − 1 for step t).
    /// </summary>
    public static List<MplObservation> Run(IReadOnlyList<ManifestCurve> schedules, double modelSize, int curvePoints = 200)
    {
        var kernel = new MplSurrogate();
        return schedules.Select((c, seed) =>
        {
            var result = kernel.Run(new KernelRun(c.LearningRates, modelSize, seed, new Dictionary<string, double>(), curvePoints));
            var kept = Enumerable.Range(0, result.Curve.Steps.Length).Where(k => result.Curve.Steps[k] > c.Schedule.WarmupSteps).ToArray();
            return new MplObservation(c.Name, new MplCurve(c.LearningRates, [.. kept.Select(k => result.Curve.Steps[k] - 1)]), [.. kept.Select(k => result.Curve.Loss[k])]);
        }).ToList();
    }
}
