using System.Diagnostics;
using System.Text;
using Sweeps.Silo.Hosting;

namespace Sweeps.Cli.Tests;

/// <summary>
/// The <c>sweeps silo</c> processes (and any helper process) a test starts: each silo's log drained
/// and kept, its ready line awaited, and every process killed when the test ends.
/// </summary>
internal sealed class TestSilos : IDisposable
{
    private readonly List<Process> _processes = [];
    private readonly Dictionary<Process, StringBuilder> _logs = [];
    private readonly Dictionary<Process, string> _readyLines = [];

    /// <summary>Every silo started so far.</summary>
    public IEnumerable<Process> Silos => _logs.Keys;

    /// <summary>The line a silo printed when it was ready.</summary>
    public string ReadyLine(Process silo) => _readyLines[silo];

    /// <summary>A process to kill with the silos at the end of the test (a Redis server of the test's own).</summary>
    public void Keep(Process process) => _processes.Add(process);

    /// <summary>
    /// Starts <c>sweeps silo ARGS</c> on free silo and gateway ports (unless given), without HTTP unless
    /// <c>--port</c> is given (several silos on one machine would all want 8080), and waits until it is ready.
    /// </summary>
    public Task<Process> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        string[] ports = ["--silo-port", LoopbackPorts.Next().ToString(), .. args.Contains("--port") ? Array.Empty<string>() : ["--port", "0"]];
        var arguments = args.Contains("--gateway-port") ? [.. args, .. ports] : args.Concat(ports).Concat(["--gateway-port", LoopbackPorts.Next().ToString()]).ToArray();
        return ReadyAsync(SweepsProcess.Start(workingDirectory, environment, ["silo", .. arguments]));
    }

    /// <summary>Keeps a started silo to be stopped after the test, drains its log, and waits for its ready line.</summary>
    public async Task<Process> ReadyAsync(Process silo)
    {
        _processes.Add(silo);
        // A silo's log goes to stderr: drain it, or a full pipe stalls the silo.
        var log = new StringBuilder();
        _logs[silo] = log;
        _ = Task.Run(async () =>
        {
            while (await silo.StandardError.ReadLineAsync() is { } logLine)
            {
                lock (log)
                {
                    log.AppendLine(logLine);
                }
            }
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await silo.StandardOutput.ReadLineAsync(timeout.Token);
        Assert.True(line?.StartsWith("sweeps silo ready", StringComparison.Ordinal) == true, $"silo did not start: {line}; log: {LogOf(silo)}");
        _readyLines[silo] = line!;
        return silo;
    }

    /// <summary>What a silo has logged so far.</summary>
    public string LogOf(Process silo)
    {
        var log = _logs[silo];
        lock (log)
        {
            return log.ToString();
        }
    }

    /// <summary>The last warnings and errors of every silo (the console logger's header line and the message after it), for a failure's message.</summary>
    public string Warnings(int max = 40)
    {
        var warnings = new List<string>();
        foreach (var silo in Silos)
        {
            var lines = LogOf(silo).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].StartsWith("warn:", StringComparison.Ordinal) || lines[i].StartsWith("fail:", StringComparison.Ordinal))
                {
                    warnings.Add($"[silo {silo.Id}] {lines[i].Trim()} {(i + 1 < lines.Length ? lines[i + 1].Trim() : "")}");
                }
            }
        }

        return string.Join('\n', warnings.TakeLast(max));
    }

    /// <summary>Kills every process, so that none writes to the test's storage or scratch folder as they go.</summary>
    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // already gone
            }

            process.Dispose();
        }
    }
}
