using System.Globalization;
using System.Text;
using Sweeps.Contracts;
using Sweeps.Core.Curves;
using Sweeps.Core.Grid;
using Sweeps.Laws;

namespace Sweeps.Cli.Output;

/// <summary>
/// Writes a sweep's results under its data directory: <c>runs.csv</c> (one row per run: its
/// parameters, status and final loss), <c>curves/RUN.csv</c> (one <c>step,lr,loss</c> CSV per finished
/// run) and <c>fit.json</c>. Each file is written to a temporary name and moved into place, so a
/// reader never sees half a file.
/// </summary>
internal static class ResultFiles
{
    public static void WriteRuns(string directory, SweepGrid grid, IReadOnlyList<RunRecord> finished)
    {
        var byIndex = finished.ToDictionary(r => r.Index);
        var optionAxes = grid.Spec.OptionAxes.Select(a => a.Name).ToArray();
        var csv = new StringBuilder();
        csv.AppendJoin(',', ["run_id", "model_size", "total_steps", "schedule", "warmup_steps", "peak_lr", .. optionAxes, "seed", "status", "final_loss"]);
        csv.Append('\n');
        foreach (var run in grid.Runs())
        {
            var record = byIndex.GetValueOrDefault(run.Index);
            csv.AppendJoin(',', [
                run.RunId, Number(run.ModelSize), run.TotalSteps.ToString(CultureInfo.InvariantCulture), run.ScheduleName,
                run.WarmupSteps.ToString(CultureInfo.InvariantCulture), Number(run.PeakLr),
                .. optionAxes.Select(o => Number(run.Options[o])),
                run.Seed.ToString(CultureInfo.InvariantCulture),
                (record?.Status ?? RunStatus.Pending).ToString().ToLowerInvariant(),
                record is { Status: RunStatus.Succeeded } ? Number(record.FinalLoss) : "",
            ]);
            csv.Append('\n');
        }

        WriteAtomically(Path.Combine(directory, "runs.csv"), csv.ToString());
    }

    public static void WriteCurve(string directory, string runId, Curve curve)
    {
        var csv = new StringBuilder("step,lr,loss\n");
        for (var i = 0; i < curve.Count; i++)
        {
            csv.Append(curve.Steps[i].ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Number(curve.Lr[i])).Append(',').Append(Number(curve.Loss[i])).Append('\n');
        }

        var curves = Path.Combine(directory, "curves");
        Directory.CreateDirectory(curves);
        WriteAtomically(Path.Combine(curves, runId + ".csv"), csv.ToString());
    }

    public static void WriteFits(string directory, IReadOnlyList<FitReport> fits) =>
        WriteAtomically(Path.Combine(directory, "fit.json"), ConsoleJson.Serialize(new { fits }));

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
