using System.Diagnostics;
using System.Globalization;
using Sweeps.Silo.Hosting;

namespace Sweeps.Cli.Commands.Bench;

/// <summary>
/// <c>sweeps silo</c> child processes of this same executable on free loopback ports, for
/// benchmarks that need real processes; stopped (SIGTERM, then killed) when disposed.
/// </summary>
internal sealed class SiloProcesses : IAsyncDisposable
{
    private readonly List<Process> _processes = [];

    public static async Task<SiloProcesses> StartAsync(int count, string[] arguments, CancellationToken cancellationToken)
    {
        var silos = new SiloProcesses();
        try
        {
            for (var i = 0; i < count; i++)
            {
                silos._processes.Add(await StartOneAsync(arguments, cancellationToken));
            }

            return silos;
        }
        catch
        {
            await silos.DisposeAsync();
            throw;
        }
    }

    private static async Task<Process> StartOneAsync(string[] arguments, CancellationToken cancellationToken)
    {
        // Run as `dotnet sweeps.dll` or as the apphost: start the child the same way.
        var host = Environment.ProcessPath!;
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(typeof(SiloProcesses).Assembly.Location);
        }

        foreach (var argument in (string[])["silo", .. arguments, "--silo-port", Port(), "--gateway-port", Port(), "--port", "0"])
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start a silo process");
        _ = process.StandardError.ReadToEndAsync(cancellationToken); // drained, or a full pipe stalls the silo
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var ready = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (ready?.StartsWith("sweeps silo ready", StringComparison.Ordinal) != true)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"a silo process did not start: {ready}");
        }

        return process;
    }

    /// <summary>CPU time the silo processes have used so far, together.</summary>
    public TimeSpan CpuTime => _processes.Aggregate(TimeSpan.Zero, (sum, process) =>
    {
        process.Refresh();
        return sum + process.TotalProcessorTime;
    });

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Where(p => !p.HasExited))
        {
            using var stop = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            await stop.WaitForExitAsync();
        }

        foreach (var process in _processes)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }
    }

    private static string Port() => LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture);
}
