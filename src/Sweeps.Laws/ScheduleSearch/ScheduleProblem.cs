using Sweeps.Core.Schedules;

namespace Sweeps.Laws.ScheduleSearch;

/// <summary>
/// What every schedule search shares: <see cref="TotalSteps"/> steps (warmup included), a linear
/// warmup of <see cref="WarmupSteps"/> steps (the schedule kinds' warmup, so baselines and optima
/// warm up alike), then the peak at the first post-warmup step and a non-increasing LR after it.
/// </summary>
public sealed record ScheduleProblem(int TotalSteps, double PeakLr, int WarmupSteps)
{
    /// <summary>Post-warmup steps after the first (which is pinned at the peak): the free LRs.</summary>
    public int FreeSteps => TotalSteps - WarmupSteps - 1;

    /// <summary>Why the problem cannot be solved, with the option names of <c>sweeps law optimize-schedule</c>.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = ScheduleValidator.Validate(new ScheduleSpec { Kind = ScheduleKind.Constant, PeakLr = PeakLr, WarmupSteps = WarmupSteps, TotalSteps = TotalSteps })
            .Select(p => p.Format()).ToList();
        if (problems.Count == 0 && FreeSteps < 1)
        {
            problems.Add($"total_steps: {TotalSteps} leaves no post-warmup steps to optimise after {WarmupSteps} warmup steps");
        }

        return problems;
    }

    /// <summary>A schedule at the peak after warmup: the warmup is written once, the searches fill the rest.</summary>
    public double[] ConstantAfterWarmup() =>
        Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Constant, PeakLr = PeakLr, WarmupSteps = WarmupSteps, TotalSteps = TotalSteps });

    /// <summary>One of the named shapes at this peak, warmup and length (the baselines and start points).</summary>
    public double[] Baseline(ScheduleSpec shape) =>
        Schedule.Evaluate(shape with { PeakLr = PeakLr, WarmupSteps = WarmupSteps, TotalSteps = TotalSteps });

    public void ThrowIfInvalid()
    {
        var problems = Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems));
        }
    }
}
