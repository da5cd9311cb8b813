using Sweeps.Core.Curves;
using Sweeps.Core.Schedules;

namespace Sweeps.Contracts;

/// <summary>
/// A simulated run's curve records at each step <c>s</c> the LR its own schedule gave there
/// (<see cref="RecordedLr"/>): a column the grid already determines. Results are
/// stored and carried without it (<see cref="RunResult.LrOfSchedule"/>), 8 of the 20 bytes of each
/// curve point, and <see cref="RunResults"/>.<c>Of</c> puts it back from the run's schedule. Only a column
/// found equal, bit for bit, to the schedule's is left out, so nothing a kernel recorded can change.
/// </summary>
public static class ScheduleLrColumn
{
    /// <summary>Whether every recorded LR is the schedule's at its step.</summary>
    public static bool IsTheSchedules(Curve curve, ReadOnlySpan<double> learningRates)
    {
        if (curve.Lr.Length != curve.Steps.Length || curve.Steps.Length == 0)
        {
            return false;
        }

        for (var i = 0; i < curve.Steps.Length; i++)
        {
            var step = curve.Steps[i];
            if (step < 0 || step > learningRates.Length || BitConverter.DoubleToInt64Bits(curve.Lr[i]) != BitConverter.DoubleToInt64Bits(RecordedLr.At(learningRates, step)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The curve with its LR column taken from <paramref name="schedule"/>.</summary>
    public static Curve Restored(Curve curve, ScheduleSpec schedule)
    {
        var learningRates = Schedule.EvaluateFirst(schedule, Math.Max(1, curve.Steps.DefaultIfEmpty().Max())); // step 0 reads the first LR
        return curve with { Lr = [.. curve.Steps.Select(step => RecordedLr.At(learningRates, step))] };
    }
}
