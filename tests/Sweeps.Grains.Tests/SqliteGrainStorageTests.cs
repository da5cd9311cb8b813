using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Sweeps.Contracts;
using Sweeps.Grains;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Storage;

namespace Sweeps.Grains.Tests;

/// <summary>
/// The storage contract on the embedded SQLite store (<see cref="GrainStorageContract"/>; a new
/// storage is a new connection to the same file), and what is SQLite's own: clearing, and the
/// serializer the store writes with.
/// </summary>
public sealed class SqliteGrainStorageTests : GrainStorageContract
{
    private static readonly GrainId Grain = GrainId.Create("sweep", "test");
    private readonly string _directory = Directory.CreateTempSubdirectory("sweeps-sqlite-").FullName;
    private readonly IGrainStorageSerializer _serializer;

    public SqliteGrainStorageTests()
    {
        var services = new ServiceCollection().AddSweepsSerialization().BuildServiceProvider();
        _serializer = new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
    }

    private string Database => Path.Combine(_directory, "state.db");

    [Fact]
    public void The_state_serializer_keeps_every_field_of_a_sweep_spec()
    {
        // A sweep resumed from storage must expand to the same grid: seeds, options, schedules, laws.
        var spec = new Core.Specs.SweepSpecParser(Kernels.KernelCatalog.Default).Parse("""
            name: roundtrip
            simulator: {name: quadratic, options: {noise: 0.5}}
            grid:
              peak_lr: [0.1, 0.2]
              model_size: [16, 32]
              total_steps: [100]
              schedule: [wsd]
            schedules:
              wsd: {kind: wsd, decay_fraction: 0.3, decay_shape: cosine, final_lr_ratio: 0.05}
            seeds: [0, 1, 2, 3]
            laws: [optimal_lr]
            concurrency: 3
            """).Spec!;
        var services = new ServiceCollection().AddSweepsSerialization().BuildServiceProvider();
        var serializer = SweepsSiloBuilderExtensions.StateSerializer(services);

        var back = serializer.Deserialize<SweepGrainState>(serializer.Serialize(new SweepGrainState { Spec = spec }))!.Spec!;

        Assert.Equal(spec.Seeds, back.Seeds);
        Assert.Equal(new Core.Grid.SweepGrid(spec).Count, new Core.Grid.SweepGrid(back).Count);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(spec, SweepsJson.Options), System.Text.Json.JsonSerializer.Serialize(back, SweepsJson.Options));
    }

    [Fact]
    public async Task Clearing_removes_the_record_and_checks_the_etag()
    {
        using var storage = new SqliteGrainStorage(Database, _serializer);
        var state = new GrainState<RunGrainState> { State = new RunGrainState() };
        await storage.WriteStateAsync("run", Grain, state);
        var stale = new GrainState<RunGrainState> { State = new RunGrainState(), ETag = "7" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("run", Grain, stale));

        await storage.ClearStateAsync("run", Grain, state);

        var read = new GrainState<RunGrainState> { State = new RunGrainState() };
        await storage.ReadStateAsync("run", Grain, read);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    protected override Task<IGrainStorage> OpenAsync() =>
        Task.FromResult<IGrainStorage>(new SqliteGrainStorage(Database, SweepsSiloBuilderExtensions.StateSerializer(new ServiceCollection().AddSweepsSerialization().BuildServiceProvider())));

    protected override Task CloseAsync(IGrainStorage storage)
    {
        ((SqliteGrainStorage)storage).Dispose();
        return Task.CompletedTask;
    }

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private static Contracts.RunResult Result(long index, double loss) =>
        new("s", index, Contracts.RunStatus.Succeeded, loss, new Core.Curves.Curve([0, 10], [0.1, 0.1], [2.0, loss]), null, 0.01);
}
