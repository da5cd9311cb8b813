namespace Sweeps.Core.Schedules;

/// <summary>Piecewise constant: each stage's LR holds until (not including) its <c>until</c> step.</summary>
internal static class StepSchedule
{
    public static void Fill(ScheduleSpec spec, Span<double> afterWarmup)
    {
        var warmup = spec.EffectiveWarmupSteps;
        var stage = 0;
        for (var i = 0; i < afterWarmup.Length; i++)
        {
            var s = warmup + i;
            while (stage < spec.Stages.Count - 1 && s >= spec.Stages[stage].Until)
            {
                stage++;
            }

            afterWarmup[i] = spec.ResolveStageLr(spec.Stages[stage]);
        }
    }
}
