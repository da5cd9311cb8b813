using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sweeps.Grains.Hosting;

namespace Sweeps.Cli.Embedded;

/// <summary>
/// An Orleans silo inside the <c>sweeps</c> process (localhost clustering on free loopback ports,
/// grain state in SQLite under the data directory), for <c>sweeps run</c>: no server needed.
/// Logs go to stderr so stdout stays clean for <c>--json</c>.
/// </summary>
internal sealed class EmbeddedSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly LogGate _logs;

    private EmbeddedSilo(IHost host, LogGate logs)
    {
        _host = host;
        _logs = logs;
    }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The silo's services, its <see cref="IClusterClient"/> among them (for the client commands on a data directory).</summary>
    public IServiceProvider Services => _host.Services;

    public static async Task<EmbeddedSilo> StartAsync(string dataDirectory, LogLevel logLevel, CancellationToken cancellationToken)
    {
        var logs = new LogGate();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddFilter((_, _, level) => logs.Open && level >= logLevel);
        builder.Services.AddSingleton<IHostLifetime, ProcessLifetime>();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort: FreeLoopbackPort(), gatewayPort: FreeLoopbackPort())
            .AddSweepsWithSqliteStorage(dataDirectory));
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return new EmbeddedSilo(host, logs);
    }

    /// <summary>
    /// Stops the silo after an interruption without its shutdown noise (runs that cannot report
    /// to a stopping silo): their results are in storage and the next run picks them up.
    /// </summary>
    public ValueTask StopQuietlyAsync()
    {
        _logs.Open = false;
        return DisposeAsync();
    }

    public ValueTask DisposeAsync() => Cluster.Hosts.StopAndDisposeAsync(_host, TimeSpan.FromSeconds(10));

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
