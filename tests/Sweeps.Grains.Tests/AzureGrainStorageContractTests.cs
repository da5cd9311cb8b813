using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Storage;
using Sweeps.Grains.Hosting;
using Sweeps.Tests;

namespace Sweeps.Grains.Tests;

/// <summary>
/// The storage contract on Azure Storage (blobs for state, tables for membership), through the
/// provider a silo of an Azure cluster configures (<see cref="SweepsSiloBuilderExtensions.AddSweepsWithAzureStorage"/>),
/// on an Azurite of the test's own: each storage is a silo host's, and a new one is a new host (a restart).
/// </summary>
[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public sealed class AzureGrainStorageContractTests : GrainStorageContract
{
    private readonly string _clusterId = $"contract-{Guid.NewGuid():N}";
    private readonly Dictionary<IGrainStorage, IHost> _hosts = [];
    private AzuriteServer? _azurite;

    public override async Task InitializeAsync() => _azurite = await AzuriteServer.StartAsync();

    public override async Task DisposeAsync()
    {
        foreach (var storage in _hosts.Keys.ToList())
        {
            await CloseAsync(storage);
        }

        _azurite?.Dispose();
    }

    protected override async Task<IGrainStorage> OpenAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (_clusterId, "sweeps-contract"));
            silo.ConfigureEndpoints(IPAddress.Loopback, RedisServer.FreePort(), RedisServer.FreePort());
            silo.AddSweepsWithAzureStorage(_azurite!.ConnectionString);
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
