using System.Globalization;
using System.Text.Json;
using Sweeps.Kernels;
using Sweeps.Tests;

namespace Sweeps.Cli.Tests;

/// <summary>Sweeps of real child processes through the <c>command</c> simulator, end to end.</summary>
[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public class CommandRunTests
{
    [Fact]
    public async Task Train_bigram_speaks_the_protocol_and_trained_long_enough_reaches_the_languages_entropy()
    {
        using var scratch = new ScratchDirectory();
        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path,
            "train", "bigram", "--lr", "0.1", "--warmup", "100", "--steps", "20000", "--dim", "16", "--schedule", "cosine", "--curve-points", "50");

        Assert.True(exitCode == 0, stderr);
        var points = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.InRange(points.Count, 50, 200);
        Assert.All(points, p => Assert.True(p.TryGetProperty("step", out _) && p.TryGetProperty("loss", out _) && p.TryGetProperty("lr", out _)));
        Assert.Equal(20_000, points[^1].GetProperty("step").GetInt32());
        // The population cross-entropy cannot go below the mean conditional entropy, and gets close to it.
        var floor = BigramLanguage.Create(16, 10, 0.5, 0).LossFloor;
        var final = points[^1].GetProperty("loss").GetDouble();
        Assert.InRange(final, floor, floor * 1.01);
        Assert.Contains(floor.ToString("G6", CultureInfo.InvariantCulture), stderr);
    }

    [Fact]
    public async Task The_real_bigram_example_runs_a_sweep_of_training_processes_with_curves_and_fits()
    {
        using var scratch = new ScratchDirectory();
        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path,
            "run", Path.Combine(RepositoryPaths.Examples, "real-bigram.yaml"), "--data-dir", "out", "--json");

        Assert.True(exitCode == 0, stderr);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("completed", report.GetProperty("state").GetString());
        Assert.Equal(20, report.GetProperty("counts").GetProperty("succeeded").GetInt64());
        var rows = File.ReadAllLines(Path.Combine(scratch.Path, "out", "runs.csv")).Skip(1).ToList();
        Assert.Equal(20, rows.Count);
        Assert.Equal(20, Directory.GetFiles(Path.Combine(scratch.Path, "out", "curves")).Length);
        // Each run trained for real: at the best LR its loss is near its language's floor.
        foreach (var size in new[] { 32, 128 })
        {
            var floor = BigramLanguage.Create(size, 10, 0.5, 0).LossFloor;
            var best = rows.Select(r => r.Split(',')).Where(c => c[1] == size.ToString(CultureInfo.InvariantCulture)) // model_size
                .Min(c => double.Parse(c[^1], CultureInfo.InvariantCulture));
            Assert.InRange(best, floor, floor * 1.03);
        }
    }

    [Fact]
    public async Task A_killed_training_process_is_started_again_when_retries_allow_and_recorded_failed_with_its_error_when_not()
    {
        using var scratch = new ScratchDirectory();
        // The first attempt of every run kills itself (as an OOM killer would); the second trains.
        scratch.Write("train.sh", """
            marker="$1/$2.tried"
            if [ ! -f "$marker" ]; then touch "$marker"; echo "about to be killed" >&2; kill -9 $$; fi
            echo '{"step": 10, "loss": 2.0}'
            echo "{\"step\": 20, \"loss\": $3}"
            """);
        string Spec(int retries) => $$"""
            name: flaky-{{retries}}
            simulator:
              name: command
              command: ["/bin/sh", "train.sh", "{{scratch.Path}}/markers-{{retries}}", "{run_id}", "{peak_lr}"]
              retries: {{retries}}
              heartbeat_timeout: 30s
            grid:
              peak_lr: [1.5, 2.5]
              model_size: 1
              total_steps: 20
            laws: []
            """;
        Directory.CreateDirectory(Path.Combine(scratch.Path, "markers-0"));
        Directory.CreateDirectory(Path.Combine(scratch.Path, "markers-1"));
        scratch.Write("retried.yaml", Spec(1));
        scratch.Write("failed.yaml", Spec(0));

        var (retriedExit, retriedOut, retriedErr) = await SweepsProcess.RunAsync(scratch.Path, "run", "retried.yaml", "--data-dir", "retried", "--json");
        var (_, failedOut, _) = await SweepsProcess.RunAsync(scratch.Path, "run", "failed.yaml", "--data-dir", "failed", "--json");

        Assert.True(retriedExit == 0, retriedErr);
        Assert.Equal(2, JsonDocument.Parse(retriedOut).RootElement.GetProperty("counts").GetProperty("succeeded").GetInt64());
        var finals = File.ReadAllLines(Path.Combine(scratch.Path, "retried", "runs.csv")).Skip(1).Select(r => double.Parse(r.Split(',')[^1], CultureInfo.InvariantCulture)).Order();
        Assert.Equal([1.5, 2.5], finals); // the loss each run reported on its second start
        Assert.Equal(2, JsonDocument.Parse(failedOut).RootElement.GetProperty("counts").GetProperty("failed").GetInt64());

        // Run again, the summary names each failure with its error and last output, read back from storage.
        var (_, summary, _) = await SweepsProcess.RunAsync(scratch.Path, new Dictionary<string, string> { ["COLUMNS"] = "200" }, "run", "failed.yaml", "--data-dir", "failed");
        Assert.Contains("failed runs", summary);
        Assert.Contains("exited with code 137", summary);
        Assert.Contains("about to be killed", summary);
    }
}
