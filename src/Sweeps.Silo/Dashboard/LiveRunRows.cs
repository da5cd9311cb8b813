using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Silo.Reports;

namespace Sweeps.Silo.Dashboard;

/// <summary>
/// The document of <c>/api/sweeps/{id}/running</c> and of the event stream's <c>live</c> events:
/// <c>{"runs": [{"run": row, "step", "steps", "loss", "lr", "log_tail"}]}</c>, the running runs of lowest grid
/// index, each with its grid point (a row as <c>/runs</c> lists them, status <c>running</c>, final
/// loss null), how far it has got, its curve so far and, for a command run, its last log lines (null otherwise).
/// </summary>
internal static class LiveRunRows
{
    /// <summary>Runs shown: enough for a picture of what is going on, few enough to ask each of them every second.</summary>
    public const int MaxRuns = 32;

    public const int MaxPoints = 100;

    public static async Task<object> ReadAsync(IGrainFactory grains, ISweepGrain sweep, SweepGrid grid)
    {
        var live = await LiveRuns.ReadAsync(grains, sweep, MaxRuns, MaxPoints);
        return new
        {
            Runs = live.Select(run => new
            {
                Run = RunRow.Of(grid, new RunRecord(run.Index, RunStatus.Running, double.NaN)),
                run.Step,
                run.Curve.Steps,
                run.Curve.Loss,
                run.Curve.Lr,
                run.LogTail,
            }).ToList(),
        };
    }
}
