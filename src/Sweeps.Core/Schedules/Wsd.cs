namespace Sweeps.Core.Schedules;

/// <summary>
/// Warmup-stable-decay: the peak until <c>decay_start = d</c>, then the decay shape from the peak to
/// the final LR with progress <c>x = (s - d)/(T - d)</c>.
/// </summary>
internal static class Wsd
{
    public static void Fill(ScheduleSpec spec, Span<double> afterWarmup)
    {
        double peak = spec.ResolvedPeak, final = spec.ResolvedFinal;
        int warmup = spec.EffectiveWarmupSteps, decayStart = spec.ResolvedDecayStart, total = spec.TotalSteps;
        double span = total - decayStart;
        for (var i = 0; i < afterWarmup.Length; i++)
        {
            var s = warmup + i;
            afterWarmup[i] = s < decayStart ? peak : Decay.At(spec.DecayShape, peak, final, (s - decayStart) / span);
        }
    }
}
