using Sweeps.Contracts;
using Sweeps.Core.Curves;
using Sweeps.Core.Schedules;
using Sweeps.Kernels;

namespace Sweeps.Grains.Tests;

/// <summary>A curve's LR column left out when it is the run's schedule, and put back bit for bit.</summary>
public class ScheduleLrColumnTests
{
    private static readonly ScheduleSpec Wsd = new() { Kind = ScheduleKind.Wsd, PeakLr = 0.3, DecayFraction = 0.3, FinalLrRatio = 0.01, WarmupSteps = 50, TotalSteps = 1_000 };

    [Theory]
    [InlineData(0.3)] // converges
    [InlineData(40.0)] // diverges: the curve ends at the step it blew up, with that step's LR
    public void A_kernels_curve_has_the_schedules_lr_column_and_gets_it_back(double peak)
    {
        var schedule = Wsd with { PeakLr = peak };
        var learningRates = Schedule.Evaluate(schedule);
        var result = new Quadratic().Run(new KernelRun(learningRates, 32, 7, new Dictionary<string, double>(), CurvePoints: 60));
        Assert.Equal(peak > 1 ? RunOutcome.Diverged : RunOutcome.Succeeded, result.Outcome);

        Assert.True(ScheduleLrColumn.IsTheSchedules(result.Curve, learningRates));
        var restored = ScheduleLrColumn.Restored(result.Curve with { Lr = [] }, schedule);

        Assert.Equal(result.Curve.Steps, restored.Steps);
        Assert.Equal(result.Curve.Loss, restored.Loss);
        Assert.Equal(result.Curve.Lr.Select(BitConverter.DoubleToInt64Bits), restored.Lr.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void A_column_that_differs_anywhere_from_the_schedule_is_kept()
    {
        var learningRates = Schedule.Evaluate(Wsd);
        int[] steps = [0, 100, 500, 1_000];
        var lr = steps.Select(s => learningRates[Math.Max(s - 1, 0)]).ToArray();
        var curve = new Curve(steps, lr, [3.0, 2.0, 1.5, 1.2]);
        Assert.True(ScheduleLrColumn.IsTheSchedules(curve, learningRates));

        lr[2] = Math.BitIncrement(lr[2]); // one ulp off: a logged LR, not the schedule's
        Assert.False(ScheduleLrColumn.IsTheSchedules(curve, learningRates));
        Assert.False(ScheduleLrColumn.IsTheSchedules(new Curve([0, 2_000], [lr[0], lr[0]], [3.0, 1.0]), learningRates)); // beyond the schedule
        Assert.False(ScheduleLrColumn.IsTheSchedules(new Curve([], [], []), learningRates));
    }

    [Fact]
    public void A_curve_of_step_0_alone_gets_the_first_lr_back() =>
        Assert.Equal([Schedule.Evaluate(Wsd)[0]], ScheduleLrColumn.Restored(new Curve([0], [], [3.0]), Wsd).Lr);
}
