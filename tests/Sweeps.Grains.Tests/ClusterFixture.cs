using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Sweeps.Contracts;
using Sweeps.Grains;
using Sweeps.Grains.Hosting;

namespace Sweeps.Grains.Tests;

/// <summary>Three in-process silos sharing memory storage, and a client, as a cluster for grain tests.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; } = Build();

    public IGrainFactory Grains => Cluster.Client;

    /// <summary>Kernels running or waiting on every silo's worker pool.</summary>
    public int KernelsQueued => Cluster.Silos.Sum(silo => silo.ServiceProvider.GetRequiredService<ComputePool>().Queued);

    public Task InitializeAsync() => Cluster.DeployAsync();

    /// <summary>Starts sweep <paramref name="id"/> and waits until it has completed (its fits included); its status then.</summary>
    public async Task<SweepStatus> CompleteAsync(string id, Core.Specs.SweepSpec spec)
    {
        var sweep = Grains.GetGrain<ISweepGrain>(id);
        await sweep.Start(spec);
        return await Sweeps.Tests.Eventually.UntilAsync(sweep.GetStatus, s => s.IsCompleted, $"sweep {id} to complete", TimeSpan.FromMinutes(4));
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private static InProcessTestCluster Build()
    {
        var builder = new InProcessTestClusterBuilder(3);
        builder.ConfigureSilo((_, silo) => silo
            .AddSweepsServices(kernelWorkers: 2)
            // State in memory, written as the product's providers write it (Orleans' serializer, not the
            // default JSON mapping, which cannot read back a fit's read-only lists).
            .AddMemoryGrainStorage(StorageNames.Sweeps, options => options.Configure<IServiceProvider>((o, services) =>
                o.GrainStorageSerializer = SweepsSiloBuilderExtensions.StateSerializer(services)))
            .UseInMemoryReminderService());
        builder.ConfigureClient(client => client.Services.AddSweepsSerialization());
        return builder.Build();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
