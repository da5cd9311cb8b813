using Sweeps.Core.Grid;
using Sweeps.Core.Specs;

namespace Sweeps.Core.Curves;

/// <summary>
/// The spec of a sweep whose runs are curves trained elsewhere (<c>sweeps ingest</c>): run <c>i</c>
/// is the manifest's curve <c>i</c>, with the curve's name as its schedule name and the manifest's
/// schedule, so fits see the exact per-step LR as <c>sweeps law fit</c> does. The grid axes list the
/// distinct values, for the views that show them.
/// </summary>
public static class IngestedSweep
{
    /// <summary>The laws an ingested sweep fits unless told: the multi-power law of its curves.</summary>
    public static readonly IReadOnlyList<string> DefaultLaws = [KnownLaws.Mpl];

    /// <returns>The spec, or null and what is wrong (a curve without a model size).</returns>
    public static (SweepSpec? Spec, IReadOnlyList<string> Problems) Spec(string name, IReadOnlyList<ManifestCurve> curves, IReadOnlyList<string> laws)
    {
        if (!SweepNames.IsValid(name))
        {
            return (null, [$"the sweep's name '{name}' {SweepNames.Rule}; give one with --sweep"]);
        }

        var problems = curves.Where(c => c.ModelSize is null)
            .Select(c => $"curve '{c.Name}' has no model_size: give one for the manifest (model_size: N at the top) or for the curve")
            .ToList();
        if (curves.Count == 0)
        {
            problems.Add("the manifest has no curves");
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var runs = curves.Select((curve, index) => new RunDefinition(index, PeakLrOf(curve), curve.Schedule.EffectiveWarmupSteps,
            curve.ModelSize!.Value, curve.Schedule.TotalSteps, curve.Name, curve.Schedule, Seed: 0, new Dictionary<string, double>())).ToList();
        var spec = new SweepSpec
        {
            Name = name,
            Description = $"{curves.Count} curves ingested",
            Simulator = SweepSpec.IngestedSimulator,
            Options = new Dictionary<string, double>(),
            PeakLr = [.. runs.Select(r => r.PeakLr).Distinct().Order()],
            WarmupSteps = [.. runs.Select(r => r.WarmupSteps).Distinct().Order()],
            ModelSize = [.. runs.Select(r => r.ModelSize).Distinct().Order()],
            TotalSteps = [.. runs.Select(r => r.TotalSteps).Distinct().Order()],
            Schedules = [.. curves.Select(c => new NamedSchedule(c.Name, c.Schedule))],
            Laws = laws,
            Concurrency = 1,
            Runs = runs,
        };
        return (spec, []);
    }

    /// <summary>The schedule's peak LR; a step schedule names none, so its highest LR stands for it.</summary>
    private static double PeakLrOf(ManifestCurve curve) => curve.Schedule.PeakLr ?? curve.LearningRates.Max();
}
