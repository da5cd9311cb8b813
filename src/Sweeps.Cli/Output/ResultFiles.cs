using System.Globalization;
using System.Text;
using Sweeps.Cli.Results;
using Sweeps.Contracts;
using Sweeps.Core.Curves;
using Sweeps.Core.Schedules;
using Sweeps.Laws;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Output;

/// <summary>
/// Writes a sweep's results under its data directory (and <c>sweeps export --format csv</c>):
/// <c>runs.csv</c> (one row per run: its
/// parameters, status and final loss, and in a sweep that stops runs early the predicted final loss of
/// each stopped run), <c>curves/RUN.csv</c> (one <c>step,lr,loss</c> CSV per finished
/// run), <c>curves.yaml</c> (their manifest) and <c>fit.json</c>. A sweep of more than
/// <see cref="MaximumCurveFiles"/> runs gets its curves in one columnar <c>curves.parquet</c> instead:
/// a file per run would make a big sweep's directory unusable (a million runs, a million files).
/// Each file is written to a temporary name and moved into place, so a reader never sees half a file.
/// </summary>
internal static class ResultFiles
{
    /// <summary>Most runs whose curves a data directory holds as a CSV file each; beyond, one <c>curves.parquet</c>.</summary>
    public const long MaximumCurveFiles = 10_000;

    /// <summary>For messages: where <see cref="WriteAllAsync"/> puts the curves of a sweep of this grid.</summary>
    public static string CurvesWritten(Core.Grid.SweepGrid grid) =>
        grid.Count > MaximumCurveFiles ? ParquetExport.CurvesFile : "curves/, " + CurveManifestFile;

    /// <summary>What <c>sweeps run</c> and <c>sweeps ingest</c> leave in a data directory: runs.csv, the curves and fit.json.</summary>
    /// <remarks>Stops at a cancel (Ctrl+C) between two runs; a file cut short stays under its temporary name.</remarks>
    public static async Task WriteAllAsync(string directory, SweepResults results, IReadOnlyList<FitReport> fits, CancellationToken cancellationToken = default)
    {
        await WriteRunsAsync(directory, results, cancellationToken);
        if (results.Grid.Count > MaximumCurveFiles) // as CurvesWritten says
        {
            await ParquetExport.WriteCurvesAsync(Path.Combine(directory, ParquetExport.CurvesFile), results, cancellationToken);
        }
        else
        {
            await WriteCurvesAsync(directory, results, cancellationToken);
        }

        WriteFits(directory, fits);
    }

    /// <summary>Streams <c>runs.csv</c>: every run of the grid, finished or not, in grid order.</summary>
    public static async Task WriteRunsAsync(string directory, SweepResults results, CancellationToken cancellationToken = default)
    {
        var optionAxes = results.Grid.Spec.OptionAxes.Select(a => a.Name).ToArray();
        // A sweep that stops runs early says where each stopped run was predicted to end (empty for the law rule's silence and the other rules).
        string[] predicted = results.Grid.Spec.Stopping is null ? [] : ["predicted_final"];
        var path = Path.Combine(directory, "runs.csv");
        await using (var csv = new StreamWriter(path + ".tmp") { NewLine = "\n" })
        {
            await csv.WriteLineAsync(string.Join(',', ["run_id", "model_size", "total_steps", "schedule", "warmup_steps", "peak_lr", .. optionAxes, "seed", "status", "final_loss", .. predicted]));
            await foreach (var (run, record) in results.RowsAsync())
            {
                cancellationToken.ThrowIfCancellationRequested();
                await csv.WriteLineAsync(string.Join(',', [
                    run.RunId, Number(run.ModelSize), run.TotalSteps.ToString(CultureInfo.InvariantCulture), run.ScheduleName,
                    run.WarmupSteps.ToString(CultureInfo.InvariantCulture), Number(run.PeakLr),
                    .. optionAxes.Select(o => Number(run.Options[o])),
                    run.Seed.ToString(CultureInfo.InvariantCulture),
                    StatusName(record?.Status ?? RunStatus.Pending),
                    record is { } finished && finished.Status.HasFinalLoss() ? Number(finished.FinalLoss) : "",
                    .. predicted.Select(_ => record is { Status: RunStatus.Stopped, PredictedFinal: { } p } ? Number(p) : ""),
                ]));
            }
        }

        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>
    /// Writes <c>curves/RUN.csv</c> for every finished run that kept a curve, and <c>curves.yaml</c>, the
    /// curve manifest of the runs with a final loss whose losses are all finite and positive (each with
    /// its run's schedule and model size), so that <c>sweeps law fit --curves DIR/curves.yaml</c> fits
    /// the curves the sweep's own laws fit. A diverged run's curve is written but not listed (a comment
    /// names it): its exploding losses are no evidence about the law, and the sweep's fits leave it
    /// out too. A sweep's curves count updates (<see cref="StepConvention.Updates"/>); an ingested
    /// sweep's are held by schedule index, as the laws read them.
    /// </summary>
    public static async Task WriteCurvesAsync(string directory, SweepResults results, CancellationToken cancellationToken = default)
    {
        var manifestPath = Path.Combine(directory, CurveManifestFile);
        await using (var manifest = new StreamWriter(manifestPath + ".tmp") { NewLine = "\n" })
        {
            var convention = results.Grid.Spec.IsIngested ? StepConvention.Index : StepConvention.Updates;
            await manifest.WriteLineAsync($"# The curves of sweep {results.Grid.Spec.Name}, for `sweeps law fit --curves` and `sweeps ingest`.");
            await manifest.WriteLineAsync($"step_convention: {StepConventions.Name(convention)}");
            var listed = 0;
            var withFinalLoss = new HashSet<long>();
            var unlisted = new List<string>();
            var finished = results.FinishedAsync().Select(record =>
            {
                if (record.Status.HasFinalLoss())
                {
                    withFinalLoss.Add(record.Index);
                }

                return record;
            });
            await foreach (var (run, curve) in results.CurvesAsync(finished))
            {
                cancellationToken.ThrowIfCancellationRequested();
                WriteCurve(directory, run.RunId, curve);
                if (!withFinalLoss.Contains(run.Index) || !curve.Loss.All(y => double.IsFinite(y) && y > 0))
                {
                    unlisted.Add(run.RunId);
                }
                else if (curve.Count > 0)
                {
                    if (listed++ == 0)
                    {
                        await manifest.WriteLineAsync("curves:");
                    }

                    await manifest.WriteLineAsync($"  - {{name: {run.RunId}, file: curves/{run.RunId}.csv, model_size: {Number(run.ModelSize)}, schedule: {ScheduleYamlWriter.Write(run.Schedule)}}}");
                }
            }

            if (listed == 0)
            {
                await manifest.WriteLineAsync("curves: []");
            }

            if (unlisted.Count > 0)
            {
                await manifest.WriteLineAsync($"# Not listed: {unlisted.Count} curves of runs without a final loss (diverged) or with a loss that is not finite and positive,");
                await manifest.WriteLineAsync($"# which the sweep's own fits leave out too; their files are in curves/: {string.Join(", ", unlisted.Take(20))}{(unlisted.Count > 20 ? ", …" : "")}");
            }
        }

        File.Move(manifestPath + ".tmp", manifestPath, overwrite: true);
    }

    /// <summary>The curve manifest beside <c>curves/</c>.</summary>
    public const string CurveManifestFile = "curves.yaml";

    public static string StatusName(RunStatus status) => status.ToString().ToLowerInvariant();

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

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
