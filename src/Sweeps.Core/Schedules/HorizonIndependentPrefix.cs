namespace Sweeps.Core.Schedules;

/// <summary>
/// How many leading steps of a schedule do not depend on its horizon: the warmup and stable phase
/// of a WSD, all of a constant schedule, the warmup alone of a cosine (whose every later LR moves
/// with <c>total_steps</c>). Only that part of a run can be the prefix of another run of the same
/// sweep that differs in horizon or decay, so only there are checkpoints worth keeping.
/// </summary>
public static class HorizonIndependentPrefix
{
    /// <summary>
    /// The first step at which the schedule evaluated at twice its horizon differs from it (its whole
    /// length if none does; also for a schedule that has no longer form, such as a table of values).
    /// </summary>
    public static int Of(ScheduleSpec spec, double[] learningRates)
    {
        double[] longer;
        try
        {
            longer = Schedule.Evaluate(spec with { TotalSteps = checked(2 * spec.TotalSteps) });
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            return learningRates.Length;
        }

        var common = learningRates.AsSpan().CommonPrefixLength(longer.AsSpan(0, learningRates.Length));
        return common;
    }
}
