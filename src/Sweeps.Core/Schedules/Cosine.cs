namespace Sweeps.Core.Schedules;

/// <summary>Cosine decay: <c>final + (peak - final)/2 · (1 + cos(π (s - W)/(T - W)))</c>.</summary>
internal static class Cosine
{
    public static void Fill(ScheduleSpec spec, Span<double> afterWarmup)
    {
        double peak = spec.ResolvedPeak, final = spec.ResolvedFinal;
        double span = spec.TotalSteps - spec.EffectiveWarmupSteps; // not afterWarmup.Length: a prefix of the schedule is filled alike
        for (var i = 0; i < afterWarmup.Length; i++)
        {
            afterWarmup[i] = final + (peak - final) / 2 * (1 + Math.Cos(Math.PI * i / span));
        }
    }
}
