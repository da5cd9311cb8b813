using System.Text.Json;
using Sweeps.Cli.Output;
using Sweeps.Contracts;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Results;

/// <summary>
/// <c>sweep.json</c>: <c>{"id", "name", "status": {as status --json}, "runs": [{"run_id", "index",
/// "model_size", "total_steps", "schedule", "warmup_steps", "peak_lr", "options": {...}, "seed",
/// "status", "final_loss", "curve": {"step": [...], "lr": [...], "loss": [...]}}]}</c>, written as a
/// stream (a run at a time). Unfinished runs have a null loss and curve; non-finite numbers are null.
/// </summary>
internal static class JsonExport
{
    public const string FileName = "sweep.json";

    public static async Task WriteAsync(string directory, SweepResults results, SweepStatus status)
    {
        var path = Path.Combine(directory, FileName);
        await using (var stream = File.Create(path + ".tmp"))
        await using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            json.WriteStartObject();
            json.WriteString("id", status.Id);
            json.WriteString("name", status.Name);
            json.WritePropertyName("status");
            json.WriteRawValue(ConsoleJson.Serialize(SweepReport.From(status, null, 0)));
            json.WriteStartArray("runs");
            var curves = results.CurvesAsync(results.FinishedAsync()).GetAsyncEnumerator();
            var more = await curves.MoveNextAsync();
            await foreach (var (run, record) in results.RowsAsync())
            {
                json.WriteStartObject();
                json.WriteString("run_id", run.RunId);
                json.WriteNumber("index", run.Index);
                json.WriteNumber("model_size", run.ModelSize);
                json.WriteNumber("total_steps", run.TotalSteps);
                json.WriteString("schedule", run.ScheduleName);
                json.WriteNumber("warmup_steps", run.WarmupSteps);
                json.WriteNumber("peak_lr", run.PeakLr);
                json.WriteStartObject("options");
                foreach (var (name, value) in run.Options.OrderBy(o => o.Key, StringComparer.Ordinal))
                {
                    Number(json, name, value);
                }

                json.WriteEndObject();
                json.WriteNumber("seed", run.Seed);
                json.WriteString("status", ResultFiles.StatusName(record?.Status ?? RunStatus.Pending));
                Number(json, "final_loss", record is { } finished && finished.Status.HasFinalLoss() ? finished.FinalLoss : double.NaN);
                if (record is { Status: RunStatus.Stopped } stopped)
                {
                    Number(json, "predicted_final", stopped.PredictedFinal ?? double.NaN);
                }

                if (more && curves.Current.Run.Index == run.Index)
                {
                    var curve = curves.Current.Curve;
                    json.WriteStartObject("curve");
                    json.WriteStartArray("step");
                    foreach (var step in curve.Steps)
                    {
                        json.WriteNumberValue(step);
                    }

                    json.WriteEndArray();
                    Numbers(json, "lr", curve.Lr);
                    Numbers(json, "loss", curve.Loss);
                    json.WriteEndObject();
                    more = await curves.MoveNextAsync();
                }
                else
                {
                    json.WriteNull("curve");
                }

                json.WriteEndObject();
                if (json.BytesPending > 1 << 16)
                {
                    await json.FlushAsync();
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
            await curves.DisposeAsync();
        }

        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void Numbers(Utf8JsonWriter json, string name, IReadOnlyList<double> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            if (double.IsFinite(value))
            {
                json.WriteNumberValue(value);
            }
            else
            {
                json.WriteNullValue();
            }
        }

        json.WriteEndArray();
    }
}
