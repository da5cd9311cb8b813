using Sweeps.Core.Schedules;

namespace Sweeps.Core.Tests;

/// <summary>
/// An independent, step-at-a-time transcription of DESIGN.md's schedule formulas, written apart
/// from <see cref="Schedule.Evaluate"/> (which fills spans kind by kind) so tests compare the two.
/// </summary>
internal static class ScheduleReference
{
    public static double At(ScheduleSpec spec, int s)
    {
        double T = spec.TotalSteps;
        var W = spec.Warmup == WarmupKind.None || spec.Kind == ScheduleKind.Table ? 0 : spec.WarmupSteps;
        var peak = spec.Kind == ScheduleKind.Step ? StageLr(spec, 0) : spec.PeakLr ?? 0;
        var final = spec.FinalLr ?? (spec.FinalLrRatio ?? 0) * (spec.PeakLr ?? 0);
        if (spec.Kind == ScheduleKind.Table)
        {
            return spec.Values[s];
        }

        if (s < W)
        {
            return spec.Warmup == WarmupKind.Constant ? spec.WarmupLr ?? peak / 10 : W == 1 ? peak : peak * s / (W - 1.0);
        }

        switch (spec.Kind)
        {
            case ScheduleKind.Constant:
                return peak;
            case ScheduleKind.Cosine:
                return final + (peak - final) / 2 * (1 + Math.Cos(Math.PI * (s - W) / (T - W)));
            case ScheduleKind.Linear:
                return peak + (final - peak) * (s - W) / (T - W);
            case ScheduleKind.Polynomial:
                return peak * Math.Pow(1 - (s - W) / (T - W), spec.Power);
            case ScheduleKind.Wsd:
                var d = spec.DecayStart ?? (int)(T - Math.Round(spec.DecayFraction!.Value * T));
                return s < d ? peak : Shape(spec.DecayShape, peak, final, (s - d) / (T - d));
            case ScheduleKind.WsdS:
                foreach (var window in spec.Decays)
                {
                    if (s >= window.Start && s < window.End)
                    {
                        return Shape(spec.DecayShape, peak, final, (s - window.Start) / (double)(window.End - window.Start));
                    }
                }

                return peak;
            case ScheduleKind.Step:
                for (var i = 0; i < spec.Stages.Count; i++)
                {
                    if (s < spec.Stages[i].Until)
                    {
                        return StageLr(spec, i);
                    }
                }

                return StageLr(spec, spec.Stages.Count - 1);
            default:
                throw new ArgumentOutOfRangeException(nameof(spec));
        }
    }

    private static double StageLr(ScheduleSpec spec, int i) => spec.Stages[i].Lr ?? spec.Stages[i].LrRatio!.Value * spec.PeakLr!.Value;

    private static double Shape(DecayShape shape, double peak, double final, double x) => shape switch
    {
        DecayShape.Linear => (1 - x) * peak + x * final,
        DecayShape.Cosine => final + (peak - final) * (1 + Math.Cos(Math.PI * x)) / 2,
        DecayShape.Sqrt => peak - (peak - final) * Math.Sqrt(x),
        DecayShape.Exponential => Math.Exp((1 - x) * Math.Log(peak) + x * Math.Log(final)),
        DecayShape.InverseLinear => 1 / ((1 - x) / peak + x / final),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };
}
