using Sweeps.Core.Specs;

namespace Sweeps.Core.Schedules;

/// <summary>
/// Finds every reason a schedule cannot be evaluated, each naming the YAML key at fault
/// (<c>schedule.decay_start: 30000 is beyond total_steps 24000</c>).
/// </summary>
public static class ScheduleValidator
{
    /// <summary>
    /// The longest schedule: one is held as an array of 8-byte LRs (400 MB at this length, per run in
    /// flight), and pretraining runs are 10^4–10^6 steps. 2·10^9 steps used to pass validation and
    /// then grow a run to tens of GB.
    /// </summary>
    public const int MaximumTotalSteps = 50_000_000;

    /// <param name="spec">The schedule.</param>
    /// <param name="path">YAML path of the schedule mapping, prefixed to every key ("" for none).</param>
    /// <param name="lines">Line of each key in the source, when known.</param>
    public static IReadOnlyList<SpecError> Validate(
        ScheduleSpec spec, string path = "", IReadOnlyDictionary<string, int>? lines = null)
    {
        var errors = new List<SpecError>();
        void Fail(string key, string message) =>
            errors.Add(new SpecError(Join(path, key), message, lines is not null && lines.TryGetValue(key, out var l) ? l : null));

        if (spec.TotalSteps < 1 || spec.TotalSteps > MaximumTotalSteps)
        {
            Fail("total_steps", $"must be in [1, {MaximumTotalSteps:N0}], got {spec.TotalSteps} (a schedule is held as one 8-byte LR a step)");
            return errors; // nothing else can be checked against the horizon
        }

        var total = spec.TotalSteps;
        CheckPeakAndFinal(spec, Fail);
        CheckWarmup(spec, total, Fail);
        switch (spec.Kind)
        {
            case ScheduleKind.Wsd: CheckWsd(spec, total, Fail); break;
            case ScheduleKind.WsdS: CheckWsdS(spec, total, Fail); break;
            case ScheduleKind.Step: CheckStages(spec, total, Fail); break;
            case ScheduleKind.Polynomial when !(spec.Power > 0 && double.IsFinite(spec.Power)):
                Fail("power", $"must be > 0, got {spec.Power}");
                break;
            case ScheduleKind.Table: CheckTable(spec, total, Fail); break;
        }

        return errors;
    }

    private static void CheckPeakAndFinal(ScheduleSpec spec, Action<string, string> fail)
    {
        if (spec.Kind is ScheduleKind.Step or ScheduleKind.Table)
        {
            return; // their LRs are checked stage by stage, value by value
        }

        if (spec.PeakLr is not { } peak)
        {
            fail("peak_lr", "is required");
            return;
        }

        if (!(peak > 0) || !double.IsFinite(peak))
        {
            fail("peak_lr", $"must be > 0, got {peak}");
            return;
        }

        if (spec.FinalLr is not null && spec.FinalLrRatio is not null)
        {
            fail("final_lr", "give final_lr or final_lr_ratio, not both");
        }

        if (spec.FinalLr is { } final && !(final >= 0 && final <= peak))
        {
            fail("final_lr", $"must be in [0, peak_lr = {peak}], got {final}");
        }

        if (spec.FinalLrRatio is { } ratio && !(ratio >= 0 && ratio <= 1))
        {
            fail("final_lr_ratio", $"must be in [0, 1], got {ratio}");
        }

        var needsPositiveFinal = spec.Kind is ScheduleKind.Wsd or ScheduleKind.WsdS
            && spec.DecayShape is DecayShape.Exponential or DecayShape.InverseLinear;
        if (needsPositiveFinal && !(spec.ResolvedFinal > 0))
        {
            fail(spec.FinalLrRatio is null ? "final_lr" : "final_lr_ratio",
                $"decay_shape {Names.Of(spec.DecayShape)} needs a final LR > 0");
        }
    }

    private static void CheckWarmup(ScheduleSpec spec, int total, Action<string, string> fail)
    {
        if (spec.WarmupSteps < 0)
        {
            fail("warmup_steps", $"must be ≥ 0, got {spec.WarmupSteps}");
        }
        else if (spec.Kind == ScheduleKind.Table && spec.WarmupSteps > 0)
        {
            fail("warmup_steps", "a table schedule holds its own warmup; leave warmup_steps out");
        }
        else if (spec.Warmup == WarmupKind.None && spec.WarmupSteps > 0)
        {
            fail("warmup_steps", $"warmup is none, so warmup_steps must be 0, got {spec.WarmupSteps}");
        }
        else if (spec.WarmupSteps >= total)
        {
            fail("warmup_steps", $"must be < total_steps {total}, got {spec.WarmupSteps}");
        }

        if (spec.WarmupLr is { } warmupLr && !(warmupLr > 0 && warmupLr <= spec.ResolvedPeak))
        {
            fail("warmup_lr", $"must be in (0, peak], got {warmupLr}");
        }
    }

    private static void CheckWsd(ScheduleSpec spec, int total, Action<string, string> fail)
    {
        if (spec.DecayStart is not null && spec.DecayFraction is not null)
        {
            fail("decay_start", "give decay_start or decay_fraction, not both");
            return;
        }

        if (spec.DecayFraction is { } fraction && !(fraction > 0 && fraction <= 1))
        {
            fail("decay_fraction", $"must be in (0, 1], got {fraction}");
            return;
        }

        if (spec.DecayStart is null && spec.DecayFraction is null)
        {
            fail("decay_start", "is required for wsd (or give decay_fraction)");
            return;
        }

        var start = spec.ResolvedDecayStart;
        var key = spec.DecayStart is null ? "decay_fraction" : "decay_start";
        if (start > total)
        {
            fail(key, $"decay starts at step {start}, beyond total_steps {total}");
        }
        else if (start < spec.EffectiveWarmupSteps)
        {
            fail(key, $"decay starts at step {start}, inside the warmup of {spec.EffectiveWarmupSteps} steps");
        }
    }

    private static void CheckWsdS(ScheduleSpec spec, int total, Action<string, string> fail)
    {
        if (spec.Decays.Count == 0)
        {
            fail("decays", "wsd-s needs at least one decay window {start, end}");
            return;
        }

        var previousEnd = spec.EffectiveWarmupSteps;
        for (var i = 0; i < spec.Decays.Count; i++)
        {
            var window = spec.Decays[i];
            if (window.Start >= window.End)
            {
                fail($"decays[{i}]", $"start {window.Start} must be before end {window.End}");
            }
            else if (window.Start < previousEnd)
            {
                fail($"decays[{i}].start", i == 0
                    ? $"{window.Start} is inside the warmup of {previousEnd} steps"
                    : $"{window.Start} is before the end {previousEnd} of the previous window: windows must be in order and not overlap");
            }
            else if (window.End > total)
            {
                fail($"decays[{i}].end", $"{window.End} is beyond total_steps {total}");
            }

            previousEnd = Math.Max(previousEnd, window.End);
        }
    }

    private static void CheckStages(ScheduleSpec spec, int total, Action<string, string> fail)
    {
        if (spec.Stages.Count == 0)
        {
            fail("stages", "a step schedule needs at least one stage {until, lr}");
            return;
        }

        var previous = spec.EffectiveWarmupSteps;
        for (var i = 0; i < spec.Stages.Count; i++)
        {
            var stage = spec.Stages[i];
            if (stage.Lr is null == stage.LrRatio is null)
            {
                fail($"stages[{i}]", "give exactly one of lr and lr_ratio");
            }
            else if (stage.LrRatio is not null && spec.PeakLr is null)
            {
                fail($"stages[{i}].lr_ratio", "needs peak_lr");
            }
            else if (!(spec.ResolveStageLr(stage) > 0) || !double.IsFinite(spec.ResolveStageLr(stage)))
            {
                fail($"stages[{i}].lr", $"must be > 0, got {spec.ResolveStageLr(stage)}");
            }

            if (stage.Until <= previous)
            {
                fail($"stages[{i}].until", i == 0
                    ? $"{stage.Until} must be after the warmup of {previous} steps"
                    : $"{stage.Until} must be after the previous stage's until {previous}: stages out of order");
            }

            previous = Math.Max(previous, stage.Until);
        }

        if (spec.Stages[^1].Until < total)
        {
            fail($"stages[{spec.Stages.Count - 1}].until",
                $"{spec.Stages[^1].Until} leaves steps up to total_steps {total} without an LR");
        }
    }

    private static void CheckTable(ScheduleSpec spec, int total, Action<string, string> fail)
    {
        if (spec.Values.Count != total)
        {
            fail("values", $"has {spec.Values.Count} values for total_steps {total}");
        }

        for (var i = 0; i < spec.Values.Count; i++)
        {
            if (!(spec.Values[i] >= 0) || !double.IsFinite(spec.Values[i]))
            {
                fail($"values[{i}]", $"must be a finite LR ≥ 0, got {spec.Values[i]}");
                return; // one bad value is enough to say
            }
        }
    }

    private static string Join(string path, string key) => string.IsNullOrEmpty(path) ? key : $"{path}.{key}";
}
