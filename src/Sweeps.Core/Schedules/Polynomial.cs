namespace Sweeps.Core.Schedules;

/// <summary>
/// Polynomial decay <c>peak · (1 - (s - W)/(T - W))^power</c>: the easy-phase optimum of the
/// random-feature schedules paper, and linear decay to zero when power = 1.
/// </summary>
internal static class Polynomial
{
    public static void Fill(ScheduleSpec spec, Span<double> afterWarmup)
    {
        var peak = spec.ResolvedPeak;
        double span = spec.TotalSteps - spec.EffectiveWarmupSteps; // not afterWarmup.Length: a prefix of the schedule is filled alike
        for (var i = 0; i < afterWarmup.Length; i++)
        {
            afterWarmup[i] = peak * Math.Pow(1 - i / span, spec.Power);
        }
    }
}
