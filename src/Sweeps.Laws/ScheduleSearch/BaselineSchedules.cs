using Sweeps.Core.Schedules;

namespace Sweeps.Laws.ScheduleSearch;

/// <summary>
/// The schedules an optimum is compared with, as shapes (kind and decay, no peak, warmup or
/// horizon): cosine to a tenth of the peak, WSD with a 20% linear decay to 0, linear to 0.
/// </summary>
public static class BaselineSchedules
{
    public static IReadOnlyDictionary<string, ScheduleSpec> Shapes { get; } = new Dictionary<string, ScheduleSpec>
    {
        ["cosine"] = new ScheduleSpec { Kind = ScheduleKind.Cosine, FinalLrRatio = 0.1 },
        ["wsd"] = new ScheduleSpec { Kind = ScheduleKind.Wsd, DecayFraction = 0.2, DecayShape = DecayShape.Linear, FinalLrRatio = 0.0 },
        ["linear"] = new ScheduleSpec { Kind = ScheduleKind.Linear, FinalLrRatio = 0.0 },
    };

    /// <summary>Each shape's LR at every step of <paramref name="problem"/>, or null where the shape does not fit it (too few steps).</summary>
    public static IReadOnlyDictionary<string, double[]?> For(ScheduleProblem problem) =>
        Shapes.ToDictionary(s => s.Key, s => ScheduleValidator.Validate(s.Value with
        {
            PeakLr = problem.PeakLr,
            WarmupSteps = problem.WarmupSteps,
            TotalSteps = problem.TotalSteps,
        }).Count == 0 ? problem.Baseline(s.Value) : null);
}
