using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Storage;
using Sweeps.Tests;

namespace Sweeps.Grains.Tests;

/// <summary>
/// The storage contract on a store a silo of a cluster reaches (Redis, Azure Storage): each storage
/// is the one a silo host configures as <c>sweeps silo</c> does, and a new one is a new host (a
/// restart). A store derives this and says how a silo is pointed at it.
/// </summary>
public abstract class SiloHostedStorageContract : GrainStorageContract
{
    private readonly string _clusterId = $"contract-{Guid.NewGuid():N}";
    private readonly Dictionary<IGrainStorage, IHost> _hosts = [];

    /// <summary>Adds the Sweeps services with this test's store, as the silo of that store's cluster does.</summary>
    protected abstract void AddStore(ISiloBuilder silo);

    /// <summary>Stops the store the test started.</summary>
    protected abstract void StopStore();

    public override async Task DisposeAsync()
    {
        foreach (var storage in _hosts.Keys.ToList())
        {
            await CloseAsync(storage);
        }

        StopStore();
    }

    protected override async Task<IGrainStorage> OpenAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (_clusterId, "sweeps-contract"));
            silo.ConfigureEndpoints(IPAddress.Loopback, RedisServer.FreePort(), RedisServer.FreePort());
            AddStore(silo);
        });
        var host = builder.Build();
        await host.StartAsync();
        var storage = host.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Sweeps);
        _hosts[storage] = host;
        return storage;
    }

    protected override async Task CloseAsync(IGrainStorage storage)
    {
        if (_hosts.Remove(storage, out var host))
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
