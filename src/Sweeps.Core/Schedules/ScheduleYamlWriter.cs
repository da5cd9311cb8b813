using System.Globalization;

namespace Sweeps.Core.Schedules;

/// <summary>
/// A schedule as one YAML flow mapping, the inverse of <see cref="ScheduleYaml.Read"/>: only the
/// keys its kind uses and that differ from their defaults, numbers round-tripping exactly (R format).
/// Curve manifests that Sweeps writes name each curve's schedule with it.
/// </summary>
public static class ScheduleYamlWriter
{
    public static string Write(ScheduleSpec spec)
    {
        var keys = new List<string> { $"kind: {Names.Of(spec.Kind)}" };
        void Add(string key, double? value)
        {
            if (value is { } v)
            {
                keys.Add($"{key}: {Number(v)}");
            }
        }

        Add("peak_lr", spec.PeakLr);
        Add("final_lr", spec.FinalLr);
        Add("final_lr_ratio", spec.FinalLrRatio);
        if (spec.Warmup != WarmupKind.Linear)
        {
            keys.Add($"warmup: {Names.Of(spec.Warmup)}");
        }

        keys.Add($"warmup_steps: {spec.WarmupSteps.ToString(CultureInfo.InvariantCulture)}");
        Add("warmup_lr", spec.WarmupLr);
        keys.Add($"total_steps: {spec.TotalSteps.ToString(CultureInfo.InvariantCulture)}");
        Add("decay_start", spec.DecayStart);
        Add("decay_fraction", spec.DecayFraction);
        if (spec.Kind is ScheduleKind.Wsd or ScheduleKind.WsdS)
        {
            keys.Add($"decay_shape: {Names.Of(spec.DecayShape)}");
        }

        if (spec.Kind == ScheduleKind.Polynomial)
        {
            Add("power", spec.Power);
        }

        if (spec.Stages.Count > 0)
        {
            keys.Add("stages: [" + string.Join(", ", spec.Stages.Select(s =>
                "{until: " + s.Until.ToString(CultureInfo.InvariantCulture) + (s.Lr is { } lr ? $", lr: {Number(lr)}" : "") + (s.LrRatio is { } r ? $", lr_ratio: {Number(r)}" : "") + "}")) + "]");
        }

        if (spec.Decays.Count > 0)
        {
            keys.Add("decays: [" + string.Join(", ", spec.Decays.Select(d => $"{{start: {d.Start}, end: {d.End}}}")) + "]");
        }

        if (spec.Values.Count > 0)
        {
            keys.Add("values: [" + string.Join(", ", spec.Values.Select(Number)) + "]");
        }

        return "{" + string.Join(", ", keys) + "}";
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
