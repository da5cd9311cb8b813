using System.Diagnostics;
using System.Globalization;
using Sweeps.Core.ExternalRuns;
using Sweeps.Core.Schedules;
using Sweeps.Kernels.ExternalRuns;
using Sweeps.Tests;

namespace Sweeps.Kernels.Tests;

/// <summary>The runner against real child processes: small shell scripts that speak (or break) the protocol.</summary>
public sealed class CommandRunnerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sweeps-command-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly double[] Cosine = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Cosine, PeakLr = 0.01, FinalLrRatio = 0.1, WarmupSteps = 10, TotalSteps = 100 });

    private sealed class Recorder : ICurveObserver
    {
        public List<(int Step, double Lr, double Loss)> Points { get; } = [];

        public void Recorded(int step, double lr, double loss)
        {
            lock (Points)
            {
                Points.Add((step, lr, loss));
            }
        }
    }

    private Task<CommandAttempt> RunAsync(string script, CommandSpec? spec = null, ICurveObserver? observer = null, int curvePoints = 200, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(_directory, "run.sh");
        File.WriteAllText(path, script);
        var schedule = Path.Combine(_directory, "schedule.csv");
        // The script gets the schedule file as $1 and a directory for its own files as $2.
        return CommandRunner.RunAsync(spec ?? new CommandSpec { Arguments = ["unused"] }, ["/bin/sh", path, schedule, _directory],
            Cosine, schedule, curvePoints, observer, cancellationToken);
    }

    private int PidFromFile(string name) => int.Parse(File.ReadAllText(Path.Combine(_directory, name)).Trim(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task Points_are_read_as_they_come_with_the_schedules_lr_from_the_csv_the_run_was_given()
    {
        // The script reads its schedule CSV and reports, every 10 steps, a loss and the LR it read there.
        const string script = """
            echo "starting"                   # log, not a point
            awk -F, 'NR > 1 && ($1 + 1) % 10 == 0 { printf "{\"step\": %d, \"loss\": %s, \"lr\": %s, \"tokens\": %d}\n", $1 + 1, 1 / ($1 + 2), $2, 512 * ($1 + 1) }' "$1"
            echo "warning: something" >&2
            """;
        var recorder = new Recorder();

        var attempt = await RunAsync(script, observer: recorder);

        Assert.False(attempt.Failed, attempt.Error);
        Assert.Equal(RunOutcome.Succeeded, attempt.Outcome);
        Assert.Equal(0, attempt.ExitCode);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => 10 * i), attempt.Curve.Steps);
        // Each point's LR is the schedule's at that step's last update, as written in the CSV.
        Assert.Equal(attempt.Curve.Steps.Select(s => Cosine[s - 1]), attempt.Curve.Lr);
        Assert.All(attempt.Curve.Steps.Zip(attempt.Curve.Loss), p => Assert.Equal(1.0 / (p.First + 1), p.Second, 1e-6)); // awk's 6 digits
        Assert.Equal(attempt.Curve.Loss[^1], attempt.FinalLoss);
        Assert.Equal(attempt.Curve.Steps, recorder.Points.Select(p => p.Step));
        Assert.Equal(["starting", "warning: something"], attempt.LogTail.Order());
    }

    [Fact]
    public async Task A_point_without_an_lr_takes_the_schedules_and_a_long_curve_is_thinned_to_the_points_asked()
    {
        const string script = """
            i=0
            while [ $i -le 100 ]; do echo "{\"step\": $i, \"loss\": 2.5}"; i=$((i + 1)); done
            """;

        var attempt = await RunAsync(script, curvePoints: 20);

        Assert.InRange(attempt.Curve.Count, 3, 20);
        Assert.Equal(0, attempt.Curve.Steps[0]);
        Assert.Equal(100, attempt.Curve.Steps[^1]);
        Assert.Equal(attempt.Curve.Steps.Select(s => Cosine[Math.Max(s - 1, 0)]), attempt.Curve.Lr);
    }

    [Fact]
    public async Task A_non_zero_exit_fails_with_the_exit_code_and_the_log_tail()
    {
        var attempt = await RunAsync("""
            echo '{"step": 10, "loss": 3.0}'
            echo "CUDA error: out of memory" >&2
            exit 3
            """);

        Assert.True(attempt.Failed);
        Assert.Equal(3, attempt.ExitCode);
        Assert.Contains("exited with code 3", attempt.Error);
        Assert.Contains("CUDA error: out of memory", attempt.LogTail);
        Assert.Equal([10], attempt.Curve.Steps); // what it reported is kept
    }

    [Fact]
    public async Task A_run_that_reports_no_loss_fails_and_says_what_to_print()
    {
        var attempt = await RunAsync("echo done");
        Assert.True(attempt.Failed);
        Assert.Contains("without reporting a loss", attempt.Error);
    }

    [Fact]
    public async Task A_diverged_event_or_a_non_finite_last_loss_is_a_diverged_run()
    {
        var byEvent = await RunAsync("""
            echo '{"step": 10, "loss": 3.0}'
            echo '{"event": "diverged"}'
            sleep 30
            """);
        var byLoss = await RunAsync("""
            echo '{"step": 10, "loss": 3.0}'
            echo '{"step": 20, "loss": "NaN"}'
            """);

        Assert.Equal(RunOutcome.Diverged, byEvent.Outcome); // and not left running for 30 s
        Assert.Equal(RunOutcome.Diverged, byLoss.Outcome);
        Assert.True(double.IsNaN(byLoss.FinalLoss));
    }

    [Fact]
    public async Task A_silent_run_is_hung_and_its_whole_process_tree_is_killed()
    {
        // The script leaves a grandchild (a sleep) and its own pid, then stays silent.
        const string script = """
            echo '{"step": 1, "loss": 3.0}'
            sleep 300 &
            echo $! > "$2/grandchild.pid"
            echo $$ > "$2/child.pid"
            wait
            """;
        var clock = Stopwatch.StartNew();

        var attempt = await RunAsync(script, new CommandSpec { Arguments = ["unused"], HeartbeatTimeoutSeconds = 1 });

        Assert.True(attempt.Failed);
        Assert.Contains("hung", attempt.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60));
        Assert.False(Processes.Alive(PidFromFile("grandchild.pid")), "the grandchild outlived its hung run");
        Assert.False(Processes.Alive(PidFromFile("child.pid")));
    }

    [Fact]
    public async Task A_run_past_its_timeout_is_killed_even_while_it_talks()
    {
        const string script = """
            i=0
            while true; do echo "{\"step\": $i, \"loss\": 1.0}"; i=$((i + 1)); sleep 0.05; done
            """;

        var attempt = await RunAsync(script, new CommandSpec { Arguments = ["unused"], TimeoutSeconds = 1 });

        Assert.True(attempt.Failed);
        Assert.Contains("timed out", attempt.Error);
    }

    [Fact]
    public async Task A_run_whose_processes_hold_more_than_its_memory_limit_is_killed_with_the_reason()
    {
        // A helper of the run (not the command itself) holds 400 MB: tail keeps a line without a newline
        // whole while its input stays open. The run keeps talking, so only the limit can end it.
        const string script = """
            (head -c 400000000 /dev/zero; sleep 60) | tail > /dev/null &
            echo $! > "$2/hog.pid"
            while true; do echo '{"step": 1, "loss": 1.0}'; sleep 0.1; done
            """;
        var clock = Stopwatch.StartNew();

        var attempt = await RunAsync(script, new CommandSpec { Arguments = ["unused"], MemoryLimitBytes = 64L << 20, TimeoutSeconds = 60 });

        Assert.True(attempt.Failed);
        Assert.Contains("past memory_limit 64 MiB", attempt.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"killed after {clock.Elapsed}");
        Assert.False(Processes.Alive(PidFromFile("hog.pid")), "the helper holding the memory outlived its run");
    }

    [Fact]
    public async Task What_a_finished_run_left_running_is_killed_and_does_not_hold_the_run_open()
    {
        // A helper that outlives the script and keeps its stdout: without the clean-up the run would
        // wait 300 s for the pipe to close.
        const string script = """
            sleep 300 &
            echo $! > "$2/helper.pid"
            echo '{"step": 1, "loss": 3.0}'
            """;
        var clock = Stopwatch.StartNew();

        var attempt = await RunAsync(script);

        Assert.Equal(RunOutcome.Succeeded, attempt.Outcome);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60));
        await WaitUntilAsync(() => !Processes.Alive(PidFromFile("helper.pid")));
    }

    [Fact]
    public async Task Cancelling_kills_the_process_tree_and_throws()
    {
        const string script = """
            sleep 300 &
            echo $! > "$2/grandchild.pid"
            echo '{"step": 1, "loss": 3.0}'
            wait
            """;
        using var cancel = new CancellationTokenSource();
        var recorder = new CancellingRecorder(cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RunAsync(script, observer: recorder, cancellationToken: cancel.Token));

        await WaitUntilAsync(() => !Processes.Alive(PidFromFile("grandchild.pid")));
    }

    [Fact]
    public async Task When_the_silo_goes_away_its_runs_go_with_it()
    {
        // The supervisor's stdin is the silo's pipe: closing it is what the kernel does when the silo
        // dies, however it dies. The run (and what it started) must then be killed.
        var script = Path.Combine(_directory, "forever.sh");
        File.WriteAllText(script, $"""
            sleep 300 &
            echo $! > "{_directory}/grandchild.pid"
            echo $$ > "{_directory}/child.pid"
            wait
            """);
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", CommandRunner.Supervisor, "sweeps-run", "/bin/sh", script })
        {
            start.ArgumentList.Add(argument);
        }

        using var supervisor = Process.Start(start)!;
        await WaitUntilAsync(() => File.Exists(Path.Combine(_directory, "grandchild.pid")) && File.Exists(Path.Combine(_directory, "child.pid")));
        var child = PidFromFile("child.pid");
        Assert.True(Processes.Alive(child));

        supervisor.StandardInput.Close();

        await WaitUntilAsync(() => !Processes.Alive(child) && !Processes.Alive(PidFromFile("grandchild.pid")));
        await supervisor.WaitForExitAsync();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "timed out waiting");
            await Task.Delay(50);
        }
    }

    private sealed class CancellingRecorder(CancellationTokenSource cancel) : ICurveObserver
    {
        public void Recorded(int step, double lr, double loss) => cancel.CancelAfter(200);
    }
}
