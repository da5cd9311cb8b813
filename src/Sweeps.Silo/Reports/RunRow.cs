using Sweeps.Contracts;
using Sweeps.Core.Grid;

namespace Sweeps.Silo.Reports;

/// <summary>
/// A finished run as the HTTP API lists it: its grid point and its outcome (snake_case in JSON; a non-finite
/// loss is null), with a stopped run's predicted final and whether the sweep added the run to its grid
/// (<c>adaptive.refine</c>).
/// </summary>
public sealed record RunRow(
    string RunId, long Index, double ModelSize, int TotalSteps, string Schedule, int WarmupSteps, double PeakLr,
    IReadOnlyDictionary<string, double> Options, int Seed, RunStatus Status, double FinalLoss, double PredictedFinal, bool Added)
{
    public static RunRow Of(SweepGrid grid, RunRecord record)
    {
        var run = grid.RunAt(record.Index);
        return new(run.RunId, run.Index, run.ModelSize, run.TotalSteps, run.ScheduleName, run.WarmupSteps, run.PeakLr, run.Options, run.Seed,
            record.Status, record.Status.HasFinalLoss() ? record.FinalLoss : double.NaN, record.PredictedFinal ?? double.NaN, run.Index >= grid.GridCount);
    }
}
