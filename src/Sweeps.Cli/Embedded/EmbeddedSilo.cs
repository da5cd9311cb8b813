using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sweeps.Grains.Hosting;
using Sweeps.Silo.Hosting;

namespace Sweeps.Cli.Embedded;

/// <summary>
/// An Orleans silo inside the <c>sweeps</c> process (localhost clustering on a free loopback port,
/// grain state in SQLite under the data directory), for <c>sweeps run</c>: no server needed.
/// Logs go to stderr so stdout stays clean for <c>--json</c>.
/// </summary>
internal sealed class EmbeddedSilo : IAsyncDisposable
{
    /// <summary>Ports tried before giving up: each lost only to a process binding it within the same few milliseconds.</summary>
    private const int StartAttempts = 3;

    private readonly IHost _host;
    private readonly LogGate _logs;
    private readonly DataDirectoryLock _lock;

    private EmbeddedSilo(IHost host, LogGate logs, DataDirectoryLock directoryLock)
    {
        _host = host;
        _logs = logs;
        _lock = directoryLock;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The silo's services, its <see cref="IClusterClient"/> among them (for the client commands on a data directory).</summary>
    public IServiceProvider Services => _host.Services;

    /// <param name="siloPorts">Where the silo's port comes from (tests hand it a taken one first).</param>
    /// <param name="readingOnly">Open the store without resuming its interrupted sweeps (commands that only read).</param>
    /// <exception cref="DataDirectoryInUseException">Another process has the directory open.</exception>
    public static async Task<EmbeddedSilo> StartAsync(string dataDirectory, LogLevel logLevel, CancellationToken cancellationToken, Func<int>? siloPorts = null, bool readingOnly = false)
    {
        siloPorts ??= LoopbackPorts.Next;
        var directoryLock = DataDirectoryLock.Acquire(dataDirectory);
        try
        {
            return await StartLockedAsync(dataDirectory, logLevel, siloPorts, readingOnly, directoryLock, cancellationToken);
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    private static async Task<EmbeddedSilo> StartLockedAsync(string dataDirectory, LogLevel logLevel, Func<int> siloPorts, bool readingOnly, DataDirectoryLock directoryLock, CancellationToken cancellationToken)
    {
        var tried = new List<int>();
        while (true)
        {
            var logs = new LogGate();
            tried.Add(siloPorts());
            var host = Build(dataDirectory, logLevel, tried[^1], logs, readingOnly);
            try
            {
                await host.StartAsync(cancellationToken);
                return new EmbeddedSilo(host, logs, directoryLock);
            }
            catch (Exception e) when (PortTaken(e))
            {
                // Another process bound the port between its check and the silo's bind: start on another.
                Discard(host, logs);
                if (tried.Count == StartAttempts)
                {
                    throw new IOException($"the embedded silo found its loopback port taken {StartAttempts} times (ports {string.Join(", ", tried)})", e);
                }
            }
            catch
            {
                Discard(host, logs);
                throw;
            }
        }
    }

    /// <summary>Disposes a host whose start failed (a silo that never ran refuses to be stopped).</summary>
    private static void Discard(IHost host, LogGate logs)
    {
        logs.Open = false;
        host.Dispose();
    }

    /// <remarks>
    /// No gateway: nothing outside this process connects to an embedded silo (its commands use the
    /// silo's own client), and every port it binds is one more that another process can take first.
    /// </remarks>
    private static IHost Build(string dataDirectory, LogLevel logLevel, int siloPort, LogGate logs, bool readingOnly)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddFilter((_, _, level) => logs.Open && level >= logLevel);
        builder.Services.AddSingleton<IHostLifetime, ProcessLifetime>();
        builder.Services.AddSingleton(readingOnly ? SweepActivation.ReadingOnly : SweepActivation.Dispatching);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: siloPort, gatewayPort: 0)
            .AddSweepsWithSqliteStorage(dataDirectory));
        return builder.Build();
    }

    private static bool PortTaken(Exception e) => e switch
    {
        SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(PortTaken),
        _ => e.InnerException is { } inner && PortTaken(inner),
    };

    /// <summary>
    /// Stops the silo while runs may still be in flight (a run interrupted, a client command on a data
    /// directory) without its shutdown noise (runs that cannot be placed on or report to a stopping
    /// silo): what finished is in storage, and the next command to open the directory runs the rest.
    /// </summary>
    public ValueTask StopQuietlyAsync()
    {
        _logs.Open = false;
        return DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Cluster.Hosts.StopAndDisposeAsync(_host, TimeSpan.FromSeconds(10));
        }
        finally
        {
            _lock.Dispose(); // only once the silo has stopped writing
        }
    }

    private sealed class LogGate
    {
        public volatile bool Open = true;
    }

    /// <summary>The command, not the host, decides when to stop (Ctrl+C is handled by the command).</summary>
    private sealed class ProcessLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
