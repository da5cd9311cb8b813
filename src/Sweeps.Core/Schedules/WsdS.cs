namespace Sweeps.Core.Schedules;

/// <summary>
/// WSD-S (river-valley paper, eq. 5): the peak everywhere except inside decay windows
/// <c>[start, end)</c>, each decaying from the peak to the final LR; training continues from the
/// decayed point, so after a window the LR is back at the peak.
/// </summary>
internal static class WsdS
{
    public static void Fill(ScheduleSpec spec, Span<double> afterWarmup)
    {
        double peak = spec.ResolvedPeak, final = spec.ResolvedFinal;
        var warmup = spec.EffectiveWarmupSteps;
        afterWarmup.Fill(peak);
        foreach (var window in spec.Decays)
        {
            double span = window.End - window.Start;
            for (var s = window.Start; s < Math.Min(window.End, warmup + afterWarmup.Length); s++)
            {
                afterWarmup[s - warmup] = Decay.At(spec.DecayShape, peak, final, (s - window.Start) / span);
            }
        }
    }
}
