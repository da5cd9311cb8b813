using System.Globalization;
using System.Text.Json;
using Sweeps.Tests;

namespace Sweeps.Cli.Tests;

/// <summary>Sweeps that stop runs early (<c>adaptive.stop</c>), end to end: a kill and resume, and command runs whose processes are ended.</summary>
[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public class AdaptiveRunTests
{
    [Fact]
    public async Task A_sweep_that_stops_runs_killed_mid_way_resumes_with_its_stopped_runs_kept_and_never_run_again()
    {
        using var scratch = new ScratchDirectory();
        scratch.Write("long.yaml", RunCommandTests.LongSpec.Replace("name: long", "name: long-asha") + "\nadaptive: {stop: asha}\n");
        var database = Path.Combine(scratch.Path, "out", "sweeps.db");

        using (var first = SweepsProcess.Start(scratch.Path, "run", "long.yaml", "--data-dir", "out"))
        {
            var finishedAtKill = await RunCommandTests.WaitForFinishedRuns(database, atLeast: 30, first);
            first.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
            await first.WaitForExitAsync();
            Assert.True(finishedAtKill < 300, $"the sweep finished ({finishedAtKill} runs) before it could be killed; make it longer");
        }

        var before = RunCommandTests.RunRows(database);
        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path, "run", "long.yaml", "--data-dir", "out", "--json");

        Assert.True(exitCode == 0, stderr);
        var counts = JsonDocument.Parse(stdout).RootElement.GetProperty("counts");
        var (succeeded, stopped) = (counts.GetProperty("succeeded").GetInt64(), counts.GetProperty("stopped").GetInt64());
        Assert.Equal(300, succeeded + stopped);
        Assert.True(stopped >= 150, $"ASHA keeps a third of the runs at each rung, yet only {stopped} of 300 were stopped");
        // A stopped run is a result like any other: written once, before the kill or after, and never run again.
        var after = RunCommandTests.RunRows(database);
        Assert.Equal(300, after.Count);
        Assert.All(after.Values, row => Assert.Equal(1, row.ETag));
        Assert.All(before, row => Assert.Equal(row.Value.UpdatedAt, after[row.Key].UpdatedAt));

        // runs.csv says which runs stopped; each stopped run's curve ends where it was stopped, before its horizon.
        var lines = File.ReadAllLines(Path.Combine(scratch.Path, "out", "runs.csv"));
        Assert.EndsWith(",status,final_loss,predicted_final", lines[0]);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        var stoppedRows = rows.Where(r => r[Array.IndexOf(header, "status")] == "stopped").ToList();
        Assert.Equal(stopped, stoppedRows.Count);
        Assert.All(stoppedRows, row =>
        {
            Assert.Equal("", row[Array.IndexOf(header, "final_loss")]); // a stopped run has no final loss
            var curve = File.ReadAllLines(Path.Combine(scratch.Path, "out", "curves", row[0] + ".csv"));
            var lastStep = int.Parse(curve[^1].Split(',')[0], CultureInfo.InvariantCulture);
            Assert.InRange(lastStep, 1, int.Parse(row[Array.IndexOf(header, "total_steps")], CultureInfo.InvariantCulture) - 1);
        });
    }

    [Fact]
    public async Task The_law_rule_killed_mid_sweep_resumes_from_stored_results_and_keeps_its_stopped_runs_with_their_predictions()
    {
        using var scratch = new ScratchDirectory();
        // The adaptive example without refinement: the twin, judged by the multi-power law at every checkpoint.
        var example = File.ReadAllText(Path.Combine(RepositoryPaths.Examples, "adaptive.yaml"));
        scratch.Write("law.yaml", example[..example.IndexOf("  refine:", StringComparison.Ordinal)] + "concurrency: 8\ncurve_points: 100\nlaws: [optimal_lr]\n");
        var database = Path.Combine(scratch.Path, "out", "sweeps.db");

        Dictionary<string, (long ETag, string UpdatedAt)> before;
        using (var first = SweepsProcess.Start(scratch.Path, "run", "law.yaml", "--data-dir", "out"))
        {
            var atKill = await RunCommandTests.WaitForFinishedRuns(database, atLeast: 50, first);
            first.Kill(entireProcessTree: true); // SIGKILL: the judge's memory goes with it
            await first.WaitForExitAsync();
            Assert.True(atKill < 126, $"the sweep finished ({atKill} runs) before it could be killed; make it longer");
            before = RunCommandTests.RunRows(database);
        }

        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path, "run", "law.yaml", "--data-dir", "out", "--json");

        Assert.True(exitCode == 0, stderr);
        var counts = JsonDocument.Parse(stdout).RootElement.GetProperty("counts");
        Assert.Equal(126, counts.GetProperty("succeeded").GetInt64() + counts.GetProperty("stopped").GetInt64() + counts.GetProperty("diverged").GetInt64());
        Assert.True(counts.GetProperty("stopped").GetInt64() > 0, "the resumed judge, rebuilt from stored results, stopped nothing");
        var after = RunCommandTests.RunRows(database);
        Assert.All(before, row => Assert.Equal(row.Value, after[row.Key])); // finished and stopped before the kill: untouched
        Assert.All(after.Values, row => Assert.Equal(1, row.ETag));
        // Every run the law rule stopped carries the final loss it predicted, worse than its cell's best.
        var lines = File.ReadAllLines(Path.Combine(scratch.Path, "out", "runs.csv"));
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        int Column(string name) => Array.IndexOf(header, name);
        foreach (var stopped in rows.Where(r => r[Column("status")] == "stopped"))
        {
            var predicted = double.Parse(stopped[Column("predicted_final")], CultureInfo.InvariantCulture);
            var best = rows.Where(r => r[Column("model_size")] == stopped[Column("model_size")] && r[Column("total_steps")] == stopped[Column("total_steps")] && r[Column("final_loss")] != "")
                .Min(r => double.Parse(r[Column("final_loss")], CultureInfo.InvariantCulture));
            Assert.True(predicted > best, $"run {stopped[0]} was stopped with a predicted final {predicted}, below its cell's best {best}");
        }
    }

    [Fact]
    public async Task A_grid_extended_by_peak_lrs_reads_the_finished_runs_survives_a_kill_and_runs_only_the_new_columns()
    {
        using var scratch = new ScratchDirectory();
        var extended = RunCommandTests.LongSpec.Replace("name: long", "name: long-extended");
        scratch.Write("first.yaml", RunCommandTests.LongSpec.Replace("points: 10", "points: 4")); // 0.01, 0.046, 0.22, 1.0
        scratch.Write("extended.yaml", extended.Replace("{log_space: [0.01, 1.0], points: 10}", "{log_space: [0.01, 1.0], points: 7}")); // the same 4 and 3 between
        var database = Path.Combine(scratch.Path, "out", "sweeps.db");
        var (firstExit, _, firstErr) = await SweepsProcess.RunAsync(scratch.Path, "run", "first.yaml", "--data-dir", "out");
        Assert.True(firstExit == 0, firstErr);
        var firstRows = RunCommandTests.RunRows(database);
        var firstLosses = FinalLosses(Path.Combine(scratch.Path, "out", "runs.csv"));
        Assert.Equal(120, firstRows.Count);

        using (var killed = SweepsProcess.Start(scratch.Path, "run", "extended.yaml", "--data-dir", "out"))
        {
            await RunCommandTests.WaitForFinishedRuns(database, atLeast: 150, killed);
            killed.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
            await killed.WaitForExitAsync();
        }

        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path, "run", "extended.yaml", "--data-dir", "out", "--json");

        Assert.True(exitCode == 0, stderr);
        var report = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(210, report.GetProperty("counts").GetProperty("succeeded").GetInt64());
        Assert.Equal(120, report.GetProperty("reused_runs").GetInt64()); // each read once, before the kill or after
        // The first sweep's runs are untouched; the extended sweep holds its own copy of each, written once.
        var rows = RunCommandTests.RunRows(database);
        Assert.Equal(120 + 210, rows.Count);
        Assert.All(firstRows, row => Assert.Equal(row.Value, rows[row.Key]));
        Assert.All(rows.Values, row => Assert.Equal(1, row.ETag));
        // And the same results: every shared run's final loss in runs.csv is the first sweep's.
        var extendedLosses = FinalLosses(Path.Combine(scratch.Path, "out", "runs.csv"));
        Assert.Equal(120, firstLosses.Count(l => extendedLosses[l.Key] == l.Value));
    }

    /// <summary>runs.csv's final losses by grid point (model size, horizon, warmup, peak LR), the run ids aside.</summary>
    private static Dictionary<string, string> FinalLosses(string runsCsv) =>
        File.ReadAllLines(runsCsv).Skip(1).Select(l => l.Split(',')).ToDictionary(c => string.Join(',', c[1], c[2], c[4], c[5]), c => c[^1]);

    [Fact]
    public async Task A_refining_sweep_killed_while_it_adds_runs_resumes_and_ends_with_the_runs_and_optima_of_one_never_killed()
    {
        using var scratch = new ScratchDirectory();
        // Two peak LRs far below the optimum: the sweep adds columns of runs (two warmups each) round by round.
        scratch.Write("refine.yaml", """
            name: refine
            simulator: quadratic
            grid:
              peak_lr: [0.01, 0.02]
              warmup_steps: [0, 100]
              model_size: [32768, 65536]
              total_steps: 20000
            concurrency: 4
            laws: [optimal_lr]
            adaptive: {refine: {axis: peak_lr, until: 0.15, max_added_runs: 60}}
            """);
        var (referenceExit, referenceOut, referenceErr) = await SweepsProcess.RunAsync(scratch.Path, "run", "refine.yaml", "--data-dir", "reference", "--json");
        Assert.True(referenceExit == 0, referenceErr);
        var reference = JsonDocument.Parse(referenceOut).RootElement;
        var database = Path.Combine(scratch.Path, "out", "sweeps.db");

        using (var killed = SweepsProcess.Start(scratch.Path, "run", "refine.yaml", "--data-dir", "out"))
        {
            var atKill = await RunCommandTests.WaitForFinishedRuns(database, atLeast: 12, killed); // the grid's 8 and a first added column or more
            killed.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
            await killed.WaitForExitAsync();
            Assert.True(atKill < reference.GetProperty("total_runs").GetInt64(), $"the sweep finished ({atKill} runs) before it could be killed; make it longer");
        }

        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path, "run", "refine.yaml", "--data-dir", "out", "--json");

        Assert.True(exitCode == 0, stderr);
        var resumed = JsonDocument.Parse(stdout).RootElement;
        Assert.True(reference.GetProperty("added_runs").GetInt64() is > 0 and < 60, "the reference sweep resolved its optima within its budget");
        Assert.Equal(reference.GetProperty("added_runs").GetInt64(), resumed.GetProperty("added_runs").GetInt64());
        Assert.Equal(reference.GetProperty("total_runs").GetInt64(), resumed.GetProperty("counts").GetProperty("succeeded").GetInt64());
        Assert.All(RunCommandTests.RunRows(database).Values, row => Assert.Equal(1, row.ETag)); // no run executed twice
        static IEnumerable<double> Optima(JsonElement report) => report.GetProperty("fits").EnumerateArray()
            .Single(f => f.GetProperty("law").GetString() == "optimal_lr").GetProperty("optimal_lr").EnumerateArray().Select(o => o.GetProperty("peak_lr").GetDouble());
        Assert.Equal(Optima(reference), Optima(resumed));
        // The added runs are rows of runs.csv like the grid's, at the peak LRs the sweep chose.
        var rows = File.ReadAllLines(Path.Combine(scratch.Path, "out", "runs.csv")).Skip(1).ToList();
        Assert.Equal(reference.GetProperty("total_runs").GetInt64(), rows.Count);
    }

    [Fact]
    public async Task A_command_run_stopped_by_the_rule_has_its_process_tree_ended_and_keeps_the_curve_it_reported()
    {
        using var scratch = new ScratchDirectory();
        // Each run leaves a grandchild (a long sleep) and reports a loss that grows with its peak LR, a line every 50 ms.
        scratch.Write("train.sh", """
            sleep 300 &
            echo $! > "$1/$2.grandchild"
            step=0
            while [ $step -le 100 ]; do
              echo "{\"step\": $step, \"loss\": $(awk "BEGIN {print $3 + 10 / ($step + 1)}")}"
              step=$((step + 5))
              sleep 0.05
            done
            """);
        Directory.CreateDirectory(Path.Combine(scratch.Path, "pids"));
        scratch.Write("stop.yaml", $$"""
            name: stopped-commands
            simulator:
              name: command
              command: ["/bin/sh", "train.sh", "{{scratch.Path}}/pids", "{run_id}", "{peak_lr}"]
            grid:
              peak_lr: [1, 2, 3, 4]
              model_size: 1
              total_steps: 100
            concurrency: 1
            laws: []
            adaptive: {stop: asha}
            """);

        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path, "run", "stop.yaml", "--data-dir", "out", "--json");

        Assert.True(exitCode == 0, stderr);
        var counts = JsonDocument.Parse(stdout).RootElement.GetProperty("counts");
        // The first run sets every rung; each later run is worse than it at the first rung (step 4 of 100), reported at step 5.
        Assert.Equal((1, 3), (counts.GetProperty("succeeded").GetInt64(), counts.GetProperty("stopped").GetInt64()));
        var rows = File.ReadAllLines(Path.Combine(scratch.Path, "out", "runs.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        foreach (var row in rows.Where(r => r.Contains("stopped")))
        {
            var curve = File.ReadAllLines(Path.Combine(scratch.Path, "out", "curves", row[0] + ".csv")).Skip(1).Select(l => int.Parse(l.Split(',')[0], CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(5, curve[^1]);
            var grandchild = int.Parse(File.ReadAllText(Path.Combine(scratch.Path, "pids", row[0] + ".grandchild")).Trim(), CultureInfo.InvariantCulture);
            Assert.False(Processes.Alive(grandchild), $"run {row[0]} was stopped, yet its grandchild {grandchild} still runs");
        }

        // Run again, the summary shows each stopped run with the rule's reason, read back from storage.
        var (_, summary, _) = await SweepsProcess.RunAsync(scratch.Path, new Dictionary<string, string> { ["COLUMNS"] = "250" }, "run", "stop.yaml", "--data-dir", "out");
        Assert.Contains("stopped early (rule asha): 3 of 4 runs", summary);
        Assert.Contains("rule asha: loss 12 at rung step 4 is not among the best 1/3 of 2 runs there (cutoff 11)", summary);
    }
}
