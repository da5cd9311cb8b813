using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Sweeps.Grains.Hosting;
using Sweeps.Silo.Hosting;

namespace Sweeps.Cli.Cluster;

/// <summary>
/// A client of a Sweeps cluster for the console's client commands: through the Redis that holds
/// the membership table (<c>--cluster HOST:PORT</c>, which may also be a silo's HTTP port: see
/// <see cref="ClusterEndpoint"/>), or straight to one silo's gateway (<c>--gateway HOST:PORT</c>).
/// </summary>
internal sealed class ClusterClient : IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private readonly Func<ValueTask> _dispose;

    private ClusterClient(IServiceProvider services, Func<ValueTask> dispose, ClusterAddress address) => (_services, _dispose, Address) = (services, dispose, address);

    /// <summary>Where the client connected: for a silo's HTTP port, the cluster that silo named.</summary>
    public ClusterAddress Address { get; }

    public IClusterClient Client => _services.GetRequiredService<IClusterClient>();

    /// <summary>A connected client, or null after writing to stderr why there is none.</summary>
    public static async Task<ClusterClient?> ConnectAsync(ClusterAddress given, CancellationToken cancellationToken)
    {
        if (given.DataDirectory is { } directory)
        {
            // A data directory of sweeps run or ingest: its silo is started here, as those commands do.
            // It stops quietly: a sweep this command submitted or resumed may still be dispatching runs.
            var silo = await Embedded.EmbeddedSilo.StartAsync(directory, LogLevel.Error, cancellationToken);
            return new ClusterClient(silo.Services, silo.StopQuietlyAsync, given);
        }

        if (await ClusterEndpoint.ResolveAsync(given, cancellationToken) is not { } address)
        {
            return null;
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (address.ClusterId, SiloHost.ServiceId));
            if (address.Redis is { } redis)
            {
                client.UseRedisClustering(options => options.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis));
            }
            else
            {
                client.UseStaticClustering(address.Gateway!);
            }

            client.Services.AddSweepsSerialization();
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is Orleans.Runtime.Messaging.ConnectionFailedException or SiloUnavailableException or OrleansException && !cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"cannot reach cluster '{address.ClusterId}' at {address.Redis ?? address.Gateway?.ToString()}: {e.Message}");
            host.Dispose();
            return null;
        }

        return new ClusterClient(host.Services, () => Hosts.StopAndDisposeAsync(host, TimeSpan.FromSeconds(5)), address);
    }

    public ValueTask DisposeAsync() => _dispose();
}

/// <summary>Where a client finds the cluster: a Redis address, a silo's gateway endpoint, or a data directory opened in-process.</summary>
internal sealed record ClusterAddress(string? Redis, IPEndPoint? Gateway, string ClusterId, string? DataDirectory = null)
{
    /// <summary>For messages: "cluster ID" or "data directory DIR".</summary>
    public override string ToString() => DataDirectory is { } directory ? $"data directory {directory}" : $"cluster {ClusterId}";
}
