using System.Diagnostics;
using System.Globalization;
using Sweeps.Core.ExternalRuns;
using Sweeps.Core.Curves;

namespace Sweeps.Kernels.ExternalRuns;

/// <summary>
/// Runs one attempt of a command run: writes the run's schedule CSV, starts the process, reads its
/// protocol lines as they come (each point goes to the observer, so the run can be watched), and
/// ends it on exit, on a <c>diverged</c> event, when it is silent longer than the heartbeat
/// timeout, past the timeout, when its processes hold more memory than its limit, or on cancellation. Ending it kills its whole process tree. The
/// process is started under a small shell that also kills it when the silo dies (even by
/// <c>kill -9</c>): the shell's stdin is a pipe from the silo, which the kernel closes with the silo.
/// </summary>
public static class CommandRunner
{
    /// <summary>How often a run with a <c>memory_limit</c> has its processes' resident memory read (a pass over /proc).</summary>
    private static readonly TimeSpan MemoryCheckPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Lines of log kept for a failed run's message and the dashboard.</summary>
    public const int LogTailLines = 40;

    /// <summary>
    /// The command runs in a session (and process group) of its own (<c>setsid</c>: not a group leader
    /// when started in the background, so it execs in place and <c>$!</c> is the command); a watchdog
    /// reads the shell's stdin (through fd 3: a background list's own stdin is /dev/null) and, at end
    /// of file (the silo is gone), kills that group. When the command exits, what it left running in
    /// its group is killed too: a run's processes end with the run (and stop holding its output pipe).
    /// </summary>
    internal const string Supervisor = """
        exec 3<&0
        setsid "$@" </dev/null 3<&- &
        child=$!
        ( while read -r _; do :; done; kill -KILL "-$child" 2>/dev/null ) <&3 &
        watchdog=$!
        exec 3<&-
        wait "$child"
        status=$?
        kill -KILL "-$child" 2>/dev/null
        kill "$watchdog" 2>/dev/null
        exit "$status"
        """;

    public static async Task<CommandAttempt> RunAsync(
        CommandSpec command, IReadOnlyList<string> arguments, double[] learningRates, string scheduleCsvPath, int curvePoints,
        ICurveObserver? observer, CancellationToken cancellationToken)
    {
        WriteSchedule(scheduleCsvPath, learningRates);
        var start = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = command.WorkingDirectory ?? Directory.GetCurrentDirectory(),
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Supervisor);
        start.ArgumentList.Add("sweeps-run");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in command.Environment)
        {
            start.Environment[name] = value;
        }

        var reader = new ProtocolReader(learningRates, observer);
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return reader.Failed($"could not start {arguments[0]}: {e.Message}", null, curvePoints);
        }

        var clock = Stopwatch.StartNew();
        var stdout = PumpAsync(process.StandardOutput, reader.OnStdout);
        var stderr = PumpAsync(process.StandardError, reader.OnStderr);
        var exited = process.WaitForExitAsync(CancellationToken.None);
        string? ended = null;
        var nextMemoryCheck = TimeSpan.Zero;
        try
        {
            while (!exited.IsCompleted)
            {
                await Task.WhenAny(exited, Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken));
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.SawDiverged)
                {
                    ended = "diverged";
                }
                else if (reader.SecondsSinceLastLine > command.HeartbeatTimeoutSeconds)
                {
                    ended = $"hung: no output for {command.HeartbeatTimeoutSeconds:G4} s (heartbeat_timeout); killed";
                }
                else if (command.TimeoutSeconds is { } timeout && clock.Elapsed.TotalSeconds > timeout)
                {
                    ended = $"timed out after {timeout:G4} s (timeout); killed";
                }
                else if (command.MemoryLimitBytes is { } limit && clock.Elapsed >= nextMemoryCheck)
                {
                    nextMemoryCheck = clock.Elapsed + MemoryCheckPeriod;
                    if (SessionMemory.ResidentBytes(process.Id) is var resident && resident > limit)
                    {
                        ended = $"held {ByteSizes.Format(resident)} of memory, past memory_limit {ByteSizes.Format(limit)}; killed";
                    }
                }

                if (ended is not null)
                {
                    Kill(process);
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            await exited;
            throw;
        }

        await exited;
        await Task.WhenAll(stdout, stderr); // the pipes close once the whole tree is gone
        if (ended == "diverged")
        {
            return reader.Result(RunOutcome.Diverged, process.ExitCode, curvePoints);
        }

        if (ended is not null)
        {
            return reader.Failed(ended, process.ExitCode, curvePoints);
        }

        if (process.ExitCode != 0)
        {
            return reader.Failed($"exited with code {process.ExitCode}", process.ExitCode, curvePoints);
        }

        return reader.Points == 0
            ? reader.Failed("exited 0 without reporting a loss (print {\"step\": N, \"loss\": L} lines on stdout)", 0, curvePoints)
            : reader.Result(double.IsFinite(reader.LastLoss) ? RunOutcome.Succeeded : RunOutcome.Diverged, 0, curvePoints);
    }

    private static void WriteSchedule(string path, double[] learningRates)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path);
        writer.WriteLine("step,lr");
        for (var step = 0; step < learningRates.Length; step++)
        {
            writer.Write(step.ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.WriteLine(learningRates[step].ToString("R", CultureInfo.InvariantCulture));
        }
    }

    private static async Task PumpAsync(StreamReader stream, Action<string> onLine)
    {
        while (await stream.ReadLineAsync() is { } line)
        {
            onLine(line);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    /// <summary>What the process has said so far; written by the two pipe readers, read by the loop.</summary>
    private sealed class ProtocolReader(double[] learningRates, ICurveObserver? observer)
    {
        private readonly object _gate = new();
        private readonly List<int> _steps = [];
        private readonly List<double> _lrs = [];
        private readonly List<double> _losses = [];
        private readonly Queue<string> _log = new();
        private double _lastLineSeconds;
        private readonly Stopwatch _since = Stopwatch.StartNew();

        public bool SawDiverged { get; private set; }

        public int Points { get { lock (_gate) { return _steps.Count; } } }

        public double LastLoss { get { lock (_gate) { return _losses.Count == 0 ? double.NaN : _losses[^1]; } } }

        /// <summary>Seconds since the last line on stdout or stderr (or since the start).</summary>
        public double SecondsSinceLastLine { get { lock (_gate) { return _since.Elapsed.TotalSeconds - _lastLineSeconds; } } }

        public void OnStdout(string line)
        {
            var parsed = ProtocolLine.Parse(line);
            lock (_gate)
            {
                _lastLineSeconds = _since.Elapsed.TotalSeconds;
                switch (parsed)
                {
                    case ProtocolLine.Point point:
                        // The LR the run says it used, else the schedule's (a point at step t has taken t updates).
                        var lr = point.Lr ?? (learningRates.Length == 0 ? double.NaN : learningRates[Math.Clamp(point.Step - 1, 0, learningRates.Length - 1)]);
                        _steps.Add(point.Step);
                        _lrs.Add(lr);
                        _losses.Add(point.Loss);
                        observer?.Recorded(point.Step, lr, point.Loss);
                        break;
                    case ProtocolLine.Diverged:
                        SawDiverged = true;
                        break;
                    case ProtocolLine.Log log:
                        Keep(log.Text);
                        break;
                }
            }
        }

        public void OnStderr(string line)
        {
            lock (_gate)
            {
                _lastLineSeconds = _since.Elapsed.TotalSeconds;
                Keep(line);
            }
        }

        private void Keep(string line)
        {
            (observer as IRunLogObserver)?.Logged(line);
            _log.Enqueue(line);
            while (_log.Count > LogTailLines)
            {
                _log.Dequeue();
            }
        }

        public CommandAttempt Result(RunOutcome outcome, int? exitCode, int curvePoints)
        {
            lock (_gate)
            {
                var curve = Thinned(curvePoints);
                var finalLoss = outcome == RunOutcome.Succeeded ? _losses[^1] : double.NaN;
                return new CommandAttempt(outcome, null, curve, finalLoss, [.. _log], exitCode);
            }
        }

        public CommandAttempt Failed(string error, int? exitCode, int curvePoints)
        {
            lock (_gate)
            {
                return new CommandAttempt(null, error, Thinned(curvePoints), double.NaN, [.. _log], exitCode);
            }
        }

        private Curve Thinned(int curvePoints)
        {
            var picks = CurveThinning.Indices(_steps.Count, curvePoints);
            return new Curve(picks.Select(i => _steps[i]).ToArray(), picks.Select(i => _lrs[i]).ToArray(), picks.Select(i => _losses[i]).ToArray());
        }
    }
}
