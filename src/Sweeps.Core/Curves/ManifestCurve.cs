using Sweeps.Core.Schedules;

namespace Sweeps.Core.Curves;

/// <summary>One curve of a manifest with the schedule that produced it, evaluated per step.</summary>
public sealed record ManifestCurve(string Name, string File, ScheduleSpec Schedule, double? ModelSize, Curve Curve)
{
    /// <summary>The LR of every step <c>[0, total_steps)</c>, as laws need it.</summary>
    public double[] LearningRates { get; } = Sweeps.Core.Schedules.Schedule.Evaluate(Schedule);
}
