using System.Text.Json;
using Microsoft.Data.Sqlite;
using Sweeps.Silo.Reports;
using Sweeps.Tests;

namespace Sweeps.Cli.Tests;

[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public class RunCommandTests
{
    private const string SmallSpec = """
        name: small
        simulator: {name: quadratic, options: {noise: 0.5}}
        grid:
          peak_lr: {log_space: [0.01, 1.0], points: 5}
          model_size: [8, 32, 128]
          total_steps: [100, 300, 900]
          schedule: [cosine, constant]
        concurrency: 4
        """;

    [Fact]
    public async Task Run_json_prints_one_document_and_writes_runs_curves_and_fits()
    {
        using var scratch = new ScratchDirectory();
        scratch.Write("small.yaml", SmallSpec);

        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path, "run", "small.yaml", "--data-dir", "out", "--json");

        Assert.True(exitCode == 0, stderr);
        using var document = JsonDocument.Parse(stdout); // stdout holds the JSON and nothing else
        var root = document.RootElement;
        Assert.Equal("completed", root.GetProperty("state").GetString());
        Assert.Equal(90, root.GetProperty("total_runs").GetInt64());
        Assert.Equal(90, root.GetProperty("counts").GetProperty("succeeded").GetInt64());
        var laws = root.GetProperty("fits").EnumerateArray().Select(f => f.GetProperty("law").GetString()).ToList();
        Assert.Equal(["chinchilla", "optimal_lr"], laws);
        var chinchilla = root.GetProperty("fits")[0];
        Assert.True(chinchilla.GetProperty("params").GetProperty("alpha").GetDouble() > 0);
        Assert.True(chinchilla.GetProperty("metrics").GetProperty("r2").GetDouble() > 0.5);

        var output = Path.Combine(scratch.Path, "out");
        var rows = File.ReadAllLines(Path.Combine(output, "runs.csv"));
        Assert.Equal("run_id,model_size,total_steps,schedule,warmup_steps,peak_lr,seed,status,final_loss", rows[0]);
        Assert.Equal(91, rows.Length);
        Assert.All(rows.Skip(1), row => Assert.Contains(",succeeded,", row));
        Assert.Equal(90, Directory.GetFiles(Path.Combine(output, "curves"), "*.csv").Length);
        Assert.StartsWith("step,lr,loss", File.ReadAllText(Path.Combine(output, "curves", "r0000000.csv")));
        using var fits = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "fit.json")));
        Assert.Equal(2, fits.RootElement.GetProperty("fits").GetArrayLength());
    }

    /// <remarks>
    /// The submitting process stops its silo while the sweep's first runs are being dispatched: that
    /// must not be reported as failures (it was, as Orleans' "silo is shutting down" errors, most times).
    /// </remarks>
    [Fact]
    public async Task A_sweep_submitted_to_a_data_directory_is_submitted_quietly_and_run_completes_it()
    {
        using var scratch = new ScratchDirectory();
        scratch.Write("many.yaml", """
            name: many
            simulator: quadratic
            grid:
              peak_lr: {log_space: [0.001, 0.5], points: 512}
              model_size: 64
              total_steps: 2000
              schedule: cosine
            laws: []
            """);
        Directory.CreateDirectory(Path.Combine(scratch.Path, "store"));

        var (submitted, submitOut, submitErrors) = await SweepsProcess.RunAsync(scratch.Path, "submit", "many.yaml", "--data-dir", "store");

        Assert.True(submitted == 0, submitErrors);
        Assert.Equal("submitted many: 512 runs (0 already finished)", submitErrors.Trim());
        var id = submitOut.Trim().Split('\n')[^1];
        var (ran, json, runErrors) = await SweepsProcess.RunAsync(scratch.Path, "run", "many.yaml", "--data-dir", "store", "--json");
        Assert.True(ran == 0, runErrors);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(id, document.RootElement.GetProperty("id").GetString());
        Assert.Equal("completed", document.RootElement.GetProperty("state").GetString());
        Assert.Equal(512, document.RootElement.GetProperty("counts").GetProperty("succeeded").GetInt64());
        Assert.Equal(0, document.RootElement.GetProperty("duplicate_results").GetInt64());
    }

    [Fact]
    public async Task Run_without_json_prints_the_summary_and_progress_on_stderr()
    {
        using var scratch = new ScratchDirectory();
        scratch.Write("small.yaml", SmallSpec);

        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path, "run", "small.yaml", "--data-dir", "out");

        Assert.Equal(0, exitCode);
        Assert.Contains("90/90 runs (100%)", stderr);
        Assert.Contains("best run per model size", stdout);
        Assert.Contains("chinchilla: E = ", stdout);
        // Stdout is a pipe here: rows are never wrapped onto a second line (a number split in two)
        // and headers are not cut short.
        var chinchilla = stdout.Split('\n').Single(l => l.StartsWith("chinchilla: E = ", StringComparison.Ordinal));
        Assert.Contains(" on 9 points", chinchilla);
        Assert.Contains("η* (interpolated)", stdout);
        var tableRows = stdout.Split('\n').Where(l => l.StartsWith('│')).ToList();
        Assert.All(tableRows, row => Assert.DoesNotMatch(@"│\s+│\s+│", row)); // a wrapped row's continuation is mostly empty cells
    }

    [Fact]
    public async Task Run_with_plots_writes_the_curves_heatmap_and_law_pictures_as_png()
    {
        using var scratch = new ScratchDirectory();
        scratch.Write("small.yaml", SmallSpec + "\nlaws: [chinchilla, optimal_lr, power]\n");

        var (exitCode, _, stderr) = await SweepsProcess.RunAsync(scratch.Path, "run", "small.yaml", "--data-dir", "out", "--plots", "plots");

        Assert.True(exitCode == 0, stderr);
        var expected = new Dictionary<string, (int Width, int Height)>
        {
            ["loss-curves.png"] = (1100, 700),
            ["heatmap.png"] = (1000, 600),
            ["chinchilla.png"] = (1000, 650),
            ["optimal-lr.png"] = (1000, 650),
            ["curve-law.png"] = (1000, 650),
        };
        Assert.Equal(expected.Keys.Order(), Directory.GetFiles(Path.Combine(scratch.Path, "plots")).Select(Path.GetFileName).Order()!);
        foreach (var (name, size) in expected)
        {
            var bytes = File.ReadAllBytes(Path.Combine(scratch.Path, "plots", name));
            // A PNG: its signature, then the IHDR chunk with width and height (big-endian).
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            Assert.Equal(size, (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))));
            Assert.True(bytes.Length > 10_000, $"{name}: {bytes.Length} bytes, too small to hold a drawn chart");
            Assert.Contains($"wrote {Path.Combine(scratch.Path, "plots", name)}", stderr);
        }
    }

    [Fact]
    public async Task A_bad_spec_exits_2_before_creating_anything()
    {
        using var scratch = new ScratchDirectory();
        scratch.Write("bad.yaml", SmallSpec.Replace("total_steps: [100, 300, 900]", "total_steps: [0]"));

        await CliAssert.ExitsWithBadInputAsync(scratch.Path, "grid.total_steps[0]", "run", "bad.yaml", "--data-dir", "out");
        Assert.False(Directory.Exists(Path.Combine(scratch.Path, "out")));
    }

    [Fact]
    public async Task A_run_killed_mid_sweep_resumes_without_running_finished_runs_again()
    {
        using var scratch = new ScratchDirectory();
        scratch.Write("long.yaml", LongSpec);
        var database = Path.Combine(scratch.Path, "out", "sweeps.db");

        using (var first = SweepsProcess.Start(scratch.Path, "run", "long.yaml", "--data-dir", "out"))
        {
            var finishedAtKill = await WaitForFinishedRuns(database, atLeast: 30, first);
            first.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
            await first.WaitForExitAsync();
            Assert.True(finishedAtKill < 300, $"the sweep finished ({finishedAtKill} runs) before it could be killed; make it longer");
        }

        var before = RunRows(database);
        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path, "run", "long.yaml", "--data-dir", "out", "--json");

        Assert.True(exitCode == 0, stderr);
        using var document = JsonDocument.Parse(stdout);
        Assert.Equal(300, document.RootElement.GetProperty("counts").GetProperty("succeeded").GetInt64());
        Assert.True(document.RootElement.GetProperty("resumed_runs").GetInt64() >= before.Count);
        var after = RunRows(database);
        Assert.Equal(300, after.Count);
        // A run executed again would have written its state again: every run was written once,
        // and those finished before the kill are untouched.
        Assert.All(after.Values, row => Assert.Equal(1, row.ETag));
        Assert.All(before, row => Assert.Equal(row.Value.UpdatedAt, after[row.Key].UpdatedAt));
    }

    [Fact]
    public async Task A_sweep_whose_every_run_failed_exits_1_and_says_so()
    {
        using var scratch = new ScratchDirectory();
        scratch.Write("failing.yaml", """
            name: failing
            simulator:
              name: command
              command: ["/bin/sh", "-c", "echo 'no GPU here' >&2; exit 3"]
            grid:
              peak_lr: [0.1, 0.2]
              model_size: 1
              total_steps: 7
            laws: []
            """);

        var (exitCode, _, stderr) = await SweepsProcess.RunAsync(scratch.Path, "run", "failing.yaml", "--data-dir", "out");

        Assert.Equal(1, exitCode);
        Assert.Contains("all 2 runs failed", stderr);
    }

    /// <summary>~300 runs of a few tens of milliseconds each: long enough to kill in the middle.</summary>
    internal const string LongSpec = """
        name: long
        simulator: quadratic
        grid:
          peak_lr: {log_space: [0.01, 1.0], points: 10}
          model_size: [1024, 2048, 4096]
          total_steps: [4000, 8000]
          warmup_steps: [0, 100, 200, 300, 400]
        concurrency: 4
        """;

    [Fact]
    public async Task Status_reads_an_interrupted_sweep_without_running_it_and_a_live_run_keeps_its_data_directory_to_itself()
    {
        using var scratch = new ScratchDirectory();
        scratch.Write("long.yaml", LongSpec);
        var database = Path.Combine(scratch.Path, "out", "sweeps.db");

        using (var first = SweepsProcess.Start(scratch.Path, "run", "long.yaml", "--data-dir", "out"))
        {
            await WaitForFinishedRuns(database, atLeast: 30, first);
            // A second process on the live directory is refused in one line; the run goes on untroubled.
            var (inUse, _, refusal) = await SweepsProcess.RunAsync(scratch.Path, "status", "--data-dir", "out");
            Assert.Equal(2, inUse);
            Assert.Contains("is in use by another sweeps process", refusal);
            Assert.False(first.HasExited);
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        var finished = RunRows(database).Count;
        Assert.True(finished < 300, $"the sweep finished ({finished} runs) before it could be killed; make it longer");
        for (var call = 0; call < 3; call++)
        {
            var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path, "status", "--data-dir", "out", "--json");
            Assert.True(exitCode == 0, stderr);
            Assert.Contains("\"interrupted\"", stdout); // not "running": nothing runs it
        }

        var (_, line, _) = await SweepsProcess.RunAsync(scratch.Path, "status", "--data-dir", "out");
        Assert.Contains("interrupted", line);
        Assert.Contains("sweeps run", line); // and how to resume it

        // Reading ran nothing: no run was recorded by the three status calls.
        Assert.Equal(finished, RunRows(database).Count);
    }

    internal static async Task<int> WaitForFinishedRuns(string database, int atLeast, System.Diagnostics.Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            if (process.HasExited)
            {
                Assert.Fail("sweeps exited before it could be killed: " + await process.StandardError.ReadToEndAsync());
            }

            if (File.Exists(database) && TableExists(database) && RunRows(database).Count is var count && count >= atLeast)
            {
                return count;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    internal static bool TableExists(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'grain_state'";
        return (long)command.ExecuteScalar()! > 0;
    }

    internal static Dictionary<string, (long ETag, string UpdatedAt)> RunRows(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT grain_id, etag, updated_at FROM grain_state WHERE state_name = 'run'";
        using var reader = command.ExecuteReader();
        var rows = new Dictionary<string, (long, string)>();
        while (reader.Read())
        {
            rows[reader.GetString(0)] = (reader.GetInt64(1), reader.GetString(2));
        }

        return rows;
    }
}
