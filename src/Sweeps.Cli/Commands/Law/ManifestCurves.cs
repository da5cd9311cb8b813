using Sweeps.Core.Curves;
using Sweeps.Laws.Mpl;

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

    public static MplObservation Observe(ManifestCurve curve) =>
        new(curve.Name, new MplCurve(curve.LearningRates, curve.Curve.Steps), curve.Curve.Loss);
}
