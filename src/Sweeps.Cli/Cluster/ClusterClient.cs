using Sweeps.Silo.Hosting;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Sweeps.Grains.Hosting;

namespace Sweeps.Cli.Cluster;

/// <summary>
/// A client of a Sweeps cluster for the console's client commands: through the Redis that holds
/// the membership table (<c>--cluster HOST:PORT</c>, which may also be a silo's HTTP port: see
/// <see cref="ClusterEndpoint"/>), or straight to one silo's gateway (<c>--gateway HOST:PORT</c>).
/// </summary>
internal sealed class ClusterClient : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterClient(IHost host, ClusterAddress address) => (_host, Address) = (host, address);

    /// <summary>Where the client connected: for a silo's HTTP port, the cluster that silo named.</summary>
    public ClusterAddress Address { get; }

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>A connected client, or null after writing to stderr why there is none.</summary>
    public static async Task<ClusterClient?> ConnectAsync(ClusterAddress given, CancellationToken cancellationToken)
    {
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

        return new ClusterClient(host, address);
    }

    public ValueTask DisposeAsync() => Hosts.StopAndDisposeAsync(_host, TimeSpan.FromSeconds(5));
}

/// <summary>Where a client finds the cluster: a Redis address, or a silo's gateway endpoint.</summary>
internal sealed record ClusterAddress(string? Redis, IPEndPoint? Gateway, string ClusterId);
