using Parquet;
using Parquet.Schema;
using Sweeps.Silo.Reports;
using Sweeps.Cli.Output;
using Sweeps.Contracts;
using Sweeps.Core.Curves;
using Sweeps.Core.Grid;

namespace Sweeps.Cli.Results;

/// <summary>
/// Apache Parquet for dataframe tools (pandas, polars, DuckDB, Spark): <c>runs.parquet</c>, one row
/// per run of the grid (<c>run_id, index, model_size, total_steps, schedule, warmup_steps, peak_lr</c>,
/// the option axes, <c>seed, status, final_loss</c>, the loss null unless the run succeeded), and
/// <c>curves.parquet</c>, one row per curve point (<c>run_id, step, lr, loss</c>). Both are written in
/// row groups as the runs stream in, so memory holds one group, not the sweep.
/// </summary>
internal static class ParquetExport
{
    public const string RunsFile = "runs.parquet";
    public const string CurvesFile = "curves.parquet";

    private const int RunsPerGroup = 65_536;
    private const int CurvePointsPerGroup = 262_144;

    public static async Task WriteAsync(string directory, SweepResults results)
    {
        await WriteRunsAsync(Path.Combine(directory, RunsFile), results);
        await WriteCurvesAsync(Path.Combine(directory, CurvesFile), results);
    }

    private static async Task WriteRunsAsync(string path, SweepResults results)
    {
        var optionAxes = results.Grid.Spec.OptionAxes.Select(a => a.Name).ToArray();
        var runId = new DataField<string>("run_id");
        var index = new DataField<long>("index");
        var modelSize = new DataField<double>("model_size");
        var totalSteps = new DataField<int>("total_steps");
        var schedule = new DataField<string>("schedule");
        var warmupSteps = new DataField<int>("warmup_steps");
        var peakLr = new DataField<double>("peak_lr");
        var options = optionAxes.Select(o => new DataField<double>(o)).ToArray();
        var seed = new DataField<int>("seed");
        var status = new DataField<string>("status");
        var finalLoss = new DataField<double?>("final_loss");
        var schema = new ParquetSchema([runId, index, modelSize, totalSteps, schedule, warmupSteps, peakLr, .. options, seed, status, finalLoss]);

        await using (var stream = File.Create(path + ".tmp"))
        await using (var writer = await ParquetWriter.CreateAsync(schema, stream))
        {
            var group = new List<(RunDefinition Run, RunRecord? Record)>(RunsPerGroup);
            async Task FlushAsync()
            {
                using var rows = writer.CreateRowGroup();
                await rows.WriteAsync(runId, group.Select(g => g.Run.RunId).ToList());
                await rows.WriteAsync<long>(index, group.Select(g => g.Run.Index).ToArray());
                await rows.WriteAsync<double>(modelSize, group.Select(g => g.Run.ModelSize).ToArray());
                await rows.WriteAsync<int>(totalSteps, group.Select(g => g.Run.TotalSteps).ToArray());
                await rows.WriteAsync(schedule, group.Select(g => g.Run.ScheduleName).ToList());
                await rows.WriteAsync<int>(warmupSteps, group.Select(g => g.Run.WarmupSteps).ToArray());
                await rows.WriteAsync<double>(peakLr, group.Select(g => g.Run.PeakLr).ToArray());
                for (var o = 0; o < options.Length; o++)
                {
                    await rows.WriteAsync<double>(options[o], group.Select(g => g.Run.Options[optionAxes[o]]).ToArray());
                }

                await rows.WriteAsync<int>(seed, group.Select(g => g.Run.Seed).ToArray());
                await rows.WriteAsync(status, group.Select(g => ResultFiles.StatusName(g.Record?.Status ?? RunStatus.Pending)).ToList());
                await rows.WriteAsync<double>(finalLoss, group.Select(g => g.Record is { } r && r.Status.HasFinalLoss() ? r.FinalLoss : (double?)null).ToArray());
                group.Clear();
            }

            await foreach (var row in results.RowsAsync())
            {
                group.Add(row);
                if (group.Count == RunsPerGroup)
                {
                    await FlushAsync();
                }
            }

            if (group.Count > 0 || results.Grid.Count == 0)
            {
                await FlushAsync();
            }
        }

        File.Move(path + ".tmp", path, overwrite: true);
    }

    /// <summary>Streams <c>curves.parquet</c>: a row per curve point of every finished run, in grid order.</summary>
    public static async Task WriteCurvesAsync(string path, SweepResults results, CancellationToken cancellationToken = default)
    {
        var runId = new DataField<string>("run_id");
        var step = new DataField<int>("step");
        var lr = new DataField<double>("lr");
        var loss = new DataField<double>("loss");
        var schema = new ParquetSchema(runId, step, lr, loss);

        await using (var stream = File.Create(path + ".tmp"))
        await using (var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: cancellationToken))
        {
            var group = new List<(string RunId, Curve Curve)>();
            var points = 0;
            async Task FlushAsync()
            {
                using var rows = writer.CreateRowGroup();
                await rows.WriteAsync(runId, group.SelectMany(g => Enumerable.Repeat(g.RunId, g.Curve.Count)).ToList()); // (the string column has no cancellable overload)
                await rows.WriteAsync<int>(step, group.SelectMany(g => g.Curve.Steps).ToArray(), cancellationToken: cancellationToken);
                await rows.WriteAsync<double>(lr, group.SelectMany(g => g.Curve.Lr).ToArray(), cancellationToken: cancellationToken);
                await rows.WriteAsync<double>(loss, group.SelectMany(g => g.Curve.Loss).ToArray(), cancellationToken: cancellationToken);
                (group, points) = ([], 0);
            }

            await foreach (var (run, curve) in results.CurvesAsync(results.FinishedAsync()))
            {
                cancellationToken.ThrowIfCancellationRequested();
                group.Add((run.RunId, curve));
                points += curve.Count;
                if (points >= CurvePointsPerGroup)
                {
                    await FlushAsync();
                }
            }

            await FlushAsync();
        }

        File.Move(path + ".tmp", path, overwrite: true);
    }
}
