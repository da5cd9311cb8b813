using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using Sweeps.Contracts;
using Sweeps.Core.Specs;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Ledger;

namespace Sweeps.Grains.Tests;

/// <summary>
/// A sweep on two silos whose storage loses the reply of writes that landed (what a Redis restart
/// does to the writes in flight): the first write of the sweep's state, its ledger page, the
/// directory, the fits and about one run in eight. Before the fix such a run stayed "running" for
/// ever, each retry of its write refused for the ETag it never learnt.
/// </summary>
public sealed class LostReplyTests : IAsyncLifetime
{
    private const string Memory = "memory";
    private readonly List<LostReplyGrainStorage> _storages = [];
    private readonly InProcessTestCluster _cluster;

    public LostReplyTests()
    {
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) => silo
            .AddSweepsServices(kernelWorkers: 2)
            .AddMemoryGrainStorage(Memory)
            .UseInMemoryReminderService()
            .Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Sweeps, (services, _) =>
            {
                var storage = new LostReplyGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(Memory),
                    (stateName, grain) => stateName != "run" || grain.GetUniformHashCode() % 8 == 0);
                lock (_storages)
                {
                    _storages.Add(storage);
                }

                return storage;
            }));
        builder.ConfigureClient(client => client.Services.AddSweepsSerialization());
        _cluster = builder.Build();
    }

    public Task InitializeAsync() => _cluster.DeployAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_sweep_whose_writes_lose_their_replies_completes_with_every_run_recorded_once_and_stored()
    {
        var spec = SweepGrainTests.Spec("lost-replies", concurrency: 8);
        var sweep = _cluster.Client.GetGrain<ISweepGrain>("lost-replies-1");

        // The submit whose write lost its reply fails, and is retried as a user (or sweeps submit) would.
        var attempts = 0;
        while (true)
        {
            attempts++;
            try
            {
                await sweep.Start(spec);
                break;
            }
            catch (OrleansException e) when (e.InnerException is TimeoutException && attempts < 5)
            {
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        SweepStatus status;
        while (!(status = await sweep.GetStatus()).IsCompleted)
        {
            await Task.Delay(100, timeout.Token);
        }

        Assert.Equal(SweepState.Completed, status.State);
        Assert.Equal(45, status.Counts[RunStatus.Succeeded]);
        Assert.Equal(Enumerable.Range(0, 45).Select(i => (long)i), (await sweep.GetAllRunsAsync()).Select(r => r.Index));
        Assert.NotEmpty(Assert.Single(status.Fits, f => f.Law == KnownLaws.Chinchilla).Parameters);
        Assert.Single(await _cluster.Client.GetGrain<ISweepDirectoryGrain>(ISweepDirectoryGrain.Key).List(), s => s.Id == "lost-replies-1");

        // What is stored holds every run, not only the sweep's memory.
        var storage = _cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(Memory);
        var stored = new RunLedger(45, new GrainStorageRunPageStore(storage, sweep.GetGrainId()));
        await stored.LoadAsync();
        Assert.True(stored.IsComplete);

        // The faults happened: the sweep state, the directory, the ledger page, the fits and several runs.
        Assert.InRange(_storages.Sum(s => s.LostReplies), 7, 45);
        Assert.True(attempts >= 2, "the first submit should have lost its reply");
    }
}
