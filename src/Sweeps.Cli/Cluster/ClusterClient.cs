using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Sweeps.Grains.Hosting;

namespace Sweeps.Cli.Cluster;

/// <summary>
/// A client of a Sweeps cluster for the console's client commands: through the Redis that holds
/// the membership table (<c>--cluster HOST:PORT</c>), or straight to one silo's gateway
/// (<c>--gateway HOST:PORT</c>, for a silo running alone).
/// </summary>
internal sealed class ClusterClient : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterClient(IHost host) => _host = host;

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public static async Task<ClusterClient> ConnectAsync(ClusterAddress address, CancellationToken cancellationToken)
    {
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
        await host.StartAsync(cancellationToken);
        return new ClusterClient(host);
    }

    public ValueTask DisposeAsync() => Hosts.StopAndDisposeAsync(_host, TimeSpan.FromSeconds(5));
}

/// <summary>Where a client finds the cluster: a Redis address, or a silo's gateway endpoint.</summary>
internal sealed record ClusterAddress(string? Redis, IPEndPoint? Gateway, string ClusterId);
