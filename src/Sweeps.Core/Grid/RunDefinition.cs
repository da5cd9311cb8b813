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
    public string RunId => IdOf(Index);

    /// <summary>The id of the run at grid index <paramref name="index"/>.</summary>
    public static string IdOf(long index) => $"r{index:D7}";
}
