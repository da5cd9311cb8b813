namespace Sweeps.Core.Schedules;

/// <summary>
/// How many leading steps of a schedule do not depend on its horizon: the warmup and stable phase
/// of a WSD, all of a constant schedule, the warmup alone of a cosine (whose every later LR moves
/// with <c>total_steps</c>). Only that part of a run can be the prefix of another run of the same
/// sweep that differs in horizon or decay, so only there are checkpoints worth keeping.
/// </summary>
public static class HorizonIndependentPrefix
{
    /// <summary>Steps of the longer schedule compared first; each further comparison covers four times as many.</summary>
    private const int FirstComparison = 64;

    /// <summary>
    /// The first step at which the schedule evaluated at twice its horizon differs from it (its whole
    /// length if none does; also for a schedule that has no longer form, such as a table of values).
    /// </summary>
    /// <remarks>
    /// The longer schedule is evaluated only as far as it is compared, in growing stretches: most
    /// schedules differ right after their warmup, and evaluating a twice-as-long cosine in full cost
    /// half as much again as the tiny kernel runs it serves (<c>sweeps bench cluster</c>).
    /// </remarks>
    public static int Of(ScheduleSpec spec, double[] learningRates)
    {
        ScheduleSpec longer;
        try
        {
            longer = spec with { TotalSteps = checked(2 * spec.TotalSteps) };
        }
        catch (OverflowException)
        {
            return learningRates.Length;
        }

        for (var compared = Math.Min(FirstComparison, learningRates.Length); ; compared = (int)Math.Min(4L * compared, learningRates.Length))
        {
            double[] start;
            try
            {
                start = Schedule.EvaluateFirst(longer, compared);
            }
            catch (ArgumentException)
            {
                return learningRates.Length;
            }

            var common = learningRates.AsSpan(0, compared).CommonPrefixLength(start);
            if (common < compared || compared == learningRates.Length)
            {
                return common;
            }
        }
    }
}
