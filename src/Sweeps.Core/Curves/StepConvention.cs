using Sweeps.Core.Specs;

namespace Sweeps.Core.Curves;

/// <summary>
/// How a curve file numbers its steps. Every curve Sweeps writes (runs, exports) counts updates:
/// the loss at step t is after t updates, and its <c>lr</c> is that of update t, the schedule at
/// index t − 1 (<see cref="RecordedLr"/>; step 0 is the loss before any update). The multi-power
/// law's papers and their published curves (shared/data/mpl-25m) number the last update instead:
/// step s is after the update at schedule index s, with lr the schedule at s, so their step s is
/// Sweeps' step s + 1. Both say the same thing of the LR (the LR of the update that produced the
/// point); only the step numbering differs. A manifest may say which it uses
/// (<c>step_convention: updates | index</c>); otherwise the LR column decides
/// (<see cref="StepConventions.Detect"/>). Inside Sweeps a manifest's curves are held by schedule index, the
/// laws' step, converted here at the boundary.
/// </summary>
public enum StepConvention
{
    /// <summary>Step t = t updates done, lr = schedule[t − 1] (what Sweeps writes).</summary>
    Updates,

    /// <summary>Step s = the schedule index of the last update, lr = schedule[s] (the MPL papers' files).</summary>
    Index,
}

/// <summary>Deciding and applying a manifest's <see cref="StepConvention"/>.</summary>
public static class StepConventions
{
    /// <summary>The YAML spelling of each convention.</summary>
    public static string Name(StepConvention convention) => convention == StepConvention.Updates ? "updates" : "index";

    public static StepConvention? Parse(string text) => text switch
    {
        "updates" => StepConvention.Updates,
        "index" => StepConvention.Index,
        _ => null,
    };

    /// <summary>
    /// The convention the curves' own LR columns and steps are consistent with: a convention is ruled
    /// out by one logged LR that differs from the schedule where it puts the point (beyond
    /// <see cref="CurveManifest.LrMismatchTolerance"/>), or, for <see cref="StepConvention.Index"/>, by
    /// a point at step total_steps. When both remain (constant LRs, no LR column) it is
    /// <see cref="StepConvention.Index"/>, the published curves' numbering, which Sweeps always read
    /// them by; when neither does, also Index, and the mismatch is warned of per curve.
    /// </summary>
    public static StepConvention Detect(IEnumerable<ManifestCurve> curves)
    {
        bool index = true, updates = true;
        foreach (var curve in curves)
        {
            var lr = curve.LearningRates;
            for (var i = 0; i < curve.Curve.Count; i++)
            {
                var step = curve.Curve.Steps[i];
                var logged = curve.Curve.Lr[i];
                index &= step < lr.Length && (double.IsNaN(logged) || Close(logged, lr[step]));
                updates &= step <= lr.Length && (double.IsNaN(logged) || Close(logged, RecordedLr.At(lr, step)));
            }
        }

        return updates && !index ? StepConvention.Updates : StepConvention.Index;
    }

    /// <summary>
    /// The curve by schedule index: for <see cref="StepConvention.Updates"/> step t becomes t − 1 and
    /// the point at step 0 (before any update, no LR sum to predict it from) is left out; for
    /// <see cref="StepConvention.Index"/> points at or beyond total_steps are left out with a warning.
    /// </summary>
    public static ManifestCurve ToScheduleIndex(ManifestCurve curve, StepConvention convention, List<SpecError> warnings)
    {
        var total = curve.Schedule.TotalSteps;
        var keep = Enumerable.Range(0, curve.Curve.Count)
            .Where(i => convention == StepConvention.Updates ? curve.Curve.Steps[i] >= 1 : curve.Curve.Steps[i] < total)
            .ToArray();
        if (convention == StepConvention.Index && keep.Length < curve.Curve.Count)
        {
            warnings.Add(new SpecError("step", $"{curve.Curve.Steps[keep.Length]} is at or beyond the schedule's total_steps {total}; " +
                "this point and any later ones are ignored (the file numbers steps by schedule index; a file of Sweeps' own, " +
                "counting updates, may end at total_steps: set step_convention: updates)", File: curve.File));
        }

        var shift = convention == StepConvention.Updates ? 1 : 0;
        var converted = new Curve([.. keep.Select(i => curve.Curve.Steps[i] - shift)], [.. keep.Select(i => curve.Curve.Lr[i])], [.. keep.Select(i => curve.Curve.Loss[i])])
        {
            Extra = curve.Curve.Extra.ToDictionary(kv => kv.Key, kv => keep.Select(i => kv.Value[i]).ToArray()),
        };
        return curve with { Curve = converted };
    }

    /// <summary>Whether a logged LR is the schedule's, within <see cref="CurveManifest.LrMismatchTolerance"/>.</summary>
    internal static bool Close(double logged, double expected) =>
        Math.Abs(logged - expected) <= CurveManifest.LrMismatchTolerance * Math.Max(expected, 1e-12);
}
