using System.Globalization;
using System.Text.Json;
using Sweeps.Tests;

namespace Sweeps.Cli.Tests;

/// <summary><c>sweeps ingest</c>: real curves trained elsewhere become a sweep that fits, exports and refits like any other.</summary>
[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public sealed class IngestCommandTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Ingesting_the_25M_curves_and_fitting_mpl_gives_exactly_the_offline_law_fit()
    {
        var (ingested, json, errors) = await SweepsProcess.RunAsync(_scratch.Path, "ingest", RepositoryPaths.Mpl25mManifest, "--sweep", "mpl-25m", "--data-dir", "store", "--json");
        Assert.True(ingested == 0, errors);
        using var report = JsonDocument.Parse(json);
        var id = report.RootElement.GetProperty("id").GetString()!;
        Assert.Equal("completed", report.RootElement.GetProperty("state").GetString());
        Assert.Equal(9, report.RootElement.GetProperty("counts").GetProperty("ingested").GetInt32());

        // The offline fit of the same curves (sweeps law fit) is the reference: the same parameters, to the last bit,
        // both as the sweep fitted them when its last curve arrived and fitted again from the stored runs.
        var (_, offline, _) = await SweepsProcess.RunAsync(_scratch.Path, "law", "fit", "mpl", "--curves", RepositoryPaths.Mpl25mManifest, "--json");
        var expected = ParametersOf(JsonDocument.Parse(offline).RootElement.GetProperty("params"));
        Assert.Equal(expected, ParametersOf(Assert.Single(report.RootElement.GetProperty("fits").EnumerateArray()).GetProperty("params")));
        var (refitted, refit, refitErrors) = await SweepsProcess.RunAsync(_scratch.Path, "fit", id, "--law", "mpl", "--refit", "--json", "--data-dir", "store");
        Assert.True(refitted == 0, refitErrors);
        Assert.Equal(expected, ParametersOf(Assert.Single(JsonDocument.Parse(refit).RootElement.GetProperty("fits").EnumerateArray()).GetProperty("params")));

        // Exported, each run is its curve: the final loss is the last loss of its CSV.
        var (exported, _, exportErrors) = await SweepsProcess.RunAsync(_scratch.Path, "export", id, "--format", "csv", "--out", "export", "--data-dir", "store");
        Assert.True(exported == 0, exportErrors);
        var rows = File.ReadAllLines(Path.Combine(_scratch.Path, "export", "runs.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        var directory = Path.GetDirectoryName(RepositoryPaths.Mpl25mManifest)!;
        Assert.Equal(9, rows.Count);
        Assert.All(rows, row =>
        {
            Assert.Equal("ingested", row[7]);
            var lastLine = File.ReadLines(Path.Combine(directory, row[3] + ".csv")).Last(l => l.Length > 0).Split(',');
            Assert.Equal(double.Parse(lastLine[2], CultureInfo.InvariantCulture), double.Parse(row[8], CultureInfo.InvariantCulture));
        });

        // Ingesting the same curves again finds the same sweep and adds nothing.
        var (again, againJson, againErrors) = await SweepsProcess.RunAsync(_scratch.Path, "ingest", RepositoryPaths.Mpl25mManifest, "--sweep", "mpl-25m", "--data-dir", "store", "--json");
        Assert.True(again == 0, againErrors);
        using var second = JsonDocument.Parse(againJson);
        Assert.Equal(id, second.RootElement.GetProperty("id").GetString());
        Assert.Equal(9, second.RootElement.GetProperty("total_runs").GetInt32());
        Assert.Contains("already holds 9 of 9 curves", againErrors);
    }

    [Fact]
    public async Task A_wandb_export_is_ingested_through_a_column_mapping_and_keeps_the_logged_losses()
    {
        // The 25M cosine run as W&B exports it: _step, train/loss, train/lr, and eval rows that log no train loss.
        var source = File.ReadAllLines(Path.Combine(Path.GetDirectoryName(RepositoryPaths.Mpl25mManifest)!, "cosine_24000.csv")).Skip(1)
            .Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
        var lines = new List<string> { "\"_step\",\"train/loss\",\"train/lr\",\"eval/loss\"" };
        foreach (var (row, i) in source.Select((r, i) => (r, i)))
        {
            lines.Add($"{row[0]},{row[2]},{row[1]},");
            if (i % 20 == 0)
            {
                lines.Add($"{row[0]},,,{row[2]}");
            }
        }

        _scratch.Write("history.csv", string.Join('\n', lines));
        var manifest = _scratch.Write("wandb.yaml", """
            model_size: 2.5e7
            curves:
              - name: cosine
                file: history.csv
                schedule: {kind: cosine, peak_lr: 3.0e-4, final_lr: 3.0e-5, warmup_steps: 2160, total_steps: 24000}
            """);

        var (exitCode, json, errors) = await SweepsProcess.RunAsync(_scratch.Path, "ingest", manifest, "--columns", "wandb,loss=train/loss,lr=train/lr", "--json", "--data-dir", "wandb");

        Assert.True(exitCode == 0, errors);
        using var report = JsonDocument.Parse(json);
        Assert.Equal(1, report.RootElement.GetProperty("counts").GetProperty("ingested").GetInt32());
        Assert.Equal(double.Parse(source[^1][2], CultureInfo.InvariantCulture), report.RootElement.GetProperty("best_final_loss").GetDouble());
        Assert.Contains("rows have no train/loss", errors);
        var curve = File.ReadAllLines(Directory.GetFiles(Path.Combine(_scratch.Path, "wandb", "curves")).Single()).Skip(1).ToList();
        Assert.Equal(source.Count, curve.Count); // every logged training point, none of the eval rows
    }

    [Fact]
    public async Task Bad_input_is_refused_with_exit_2_and_a_message()
    {
        _scratch.Write("a.csv", "step,lr,loss\n1,0.001,3.0\n");
        var noSize = _scratch.Write("no-size.yaml", "curves:\n  - {file: a.csv, schedule: {kind: constant, peak_lr: 1.0e-3, total_steps: 10}}\n");

        await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "curve 'a' has no model_size", "ingest", noSize, "--data-dir", "x");
        await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "--columns: 'epoch': unknown key", "ingest", noSize, "--columns", "epoch=_step");
        await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "missing column: the header must contain the columns mapped to step and loss (_step, loss)",
            "ingest", noSize, "--columns", "wandb");
        await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "--law: unknown law 'kaplan'", "ingest", noSize, "--law", "kaplan");
        await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "--data-dir: no directory", "status", "--data-dir", "no-such-store");
    }

    private static List<(string, double)> ParametersOf(JsonElement parameters) =>
        [.. parameters.EnumerateObject().Select(p => (p.Name, p.Value.GetDouble())).OrderBy(p => p.Name)];
}
