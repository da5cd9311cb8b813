using Sweeps.Core.Schedules;

namespace Sweeps.Core.Grid;

/// <summary>
/// One run of a sweep's grid: its place in the grid (<see cref="Index"/>, stable for a given
/// spec), its hyper-parameters, and its complete schedule.
/// </summary>
public sealed record RunDefinition(
    long Index,
    double PeakLr,
    int WarmupSteps,
    double ModelSize,
    int TotalSteps,
    string ScheduleName,
    ScheduleSpec Schedule,
    int Seed,
    IReadOnlyDictionary<string, double> Options)
{
    /// <summary>A stable, sortable id within the sweep.</summary>
    public string RunId => $"r{Index:D7}";
}
