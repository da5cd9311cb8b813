namespace Sweeps.Core.Schedules;

/// <summary>Linear decay from the peak at step W to the final LR at step T (not reached).</summary>
internal static class Linear
{
    public static void Fill(ScheduleSpec spec, Span<double> afterWarmup)
    {
        double peak = spec.ResolvedPeak, final = spec.ResolvedFinal;
        double span = spec.TotalSteps - spec.EffectiveWarmupSteps; // not afterWarmup.Length: a prefix of the schedule is filled alike
        for (var i = 0; i < afterWarmup.Length; i++)
        {
            afterWarmup[i] = peak + (final - peak) * (i / span);
        }
    }
}
