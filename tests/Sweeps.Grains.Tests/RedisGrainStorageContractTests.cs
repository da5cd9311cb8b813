using Sweeps.Grains.Hosting;
using Sweeps.Tests;

namespace Sweeps.Grains.Tests;

/// <summary>
/// The storage contract on Redis, through the provider a silo of a Redis cluster configures
/// (<see cref="SweepsSiloBuilderExtensions.AddSweepsWithRedis"/>), on a redis-server of the test's own.
/// </summary>
[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public sealed class RedisGrainStorageContractTests : SiloHostedStorageContract
{
    private RedisServer? _redis;

    public override async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    protected override void AddStore(ISiloBuilder silo) => silo.AddSweepsWithRedis(_redis!.Address);

    protected override void StopStore() => _redis?.Dispose();
}
