using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Session;
using Orleans.Storage;
using Sweeps.Contracts;
using Sweeps.Grains.Storage;
using Sweeps.Kernels;

namespace Sweeps.Grains.Hosting;

/// <summary>Everything a silo needs to run sweeps: kernels, the worker pool, serialisation, storage.</summary>
public static class SweepsSiloBuilderExtensions
{
    public const string DatabaseFileName = "sweeps.db";

    /// <summary>Adds the Sweeps grains' services, with grain state in a SQLite file under <paramref name="dataDirectory"/>.</summary>
    public static ISiloBuilder AddSweepsWithSqliteStorage(this ISiloBuilder silo, string dataDirectory, int? kernelWorkers = null)
    {
        silo.AddSweepsServices(kernelWorkers);
        silo.Services.AddGrainStorage(StorageNames.Sweeps, (services, _) =>
            new SqliteGrainStorage(Path.Combine(dataDirectory, DatabaseFileName), StateSerializer(services)));
        silo.UseInMemoryReminderService(); // one process: its sweeps resume when it starts again
        return silo;
    }

    /// <summary>
    /// Adds the Sweeps grains' services for a silo of a cluster on Redis: membership, grain state and
    /// reminders all in the Redis at <paramref name="redis"/> (StackExchange.Redis configuration,
    /// e.g. <c>127.0.0.1:6379</c>), keyed by the cluster id so several clusters can share one Redis.
    /// </summary>
    public static ISiloBuilder AddSweepsWithRedis(this ISiloBuilder silo, string redis, int? kernelWorkers = null)
    {
        silo.AddSweepsServices(kernelWorkers);
        silo.UseRedisClustering(options => options.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis));
        silo.AddRedisGrainStorage(StorageNames.Sweeps, options => options.Configure<IServiceProvider>((o, services) =>
        {
            o.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis);
            o.GrainStorageSerializer = StateSerializer(services);
        }));
        silo.UseRedisReminderService(options => options.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis));
        return silo;
    }

    /// <summary>
    /// Adds the Sweeps grains' services for a silo of a cluster on Azure Storage (or Azurite): membership
    /// and reminders in tables, grain state in blobs (a 256-run task's state is about 1 MB, over a table
    /// entity's limit), all in the account <paramref name="connectionString"/> names, keyed by the
    /// cluster id as on Redis.
    /// </summary>
    public static ISiloBuilder AddSweepsWithAzureStorage(this ISiloBuilder silo, string connectionString, int? kernelWorkers = null)
    {
        silo.AddSweepsServices(kernelWorkers);
        silo.UseAzureStorageClustering(options => options.TableServiceClient = new Azure.Data.Tables.TableServiceClient(connectionString));
        silo.AddAzureBlobGrainStorage(StorageNames.Sweeps, options => options.Configure<IServiceProvider>((o, services) =>
        {
            o.BlobServiceClient = new Azure.Storage.Blobs.BlobServiceClient(connectionString);
            o.ContainerName = AzureStateContainer;
            o.GrainStorageSerializer = StateSerializer(services);
        }));
        silo.UseAzureTableReminderService(options => options.TableServiceClient = new Azure.Data.Tables.TableServiceClient(connectionString));
        return silo;
    }

    /// <summary>The blob container of grain state on Azure Storage.</summary>
    public const string AzureStateContainer = "sweeps-state";

    /// <summary>
    /// Grain state is stored with Orleans' own serializer, which carries the library types through
    /// <see cref="SweepsJson"/> like every grain call does. (The default storage serializer is a
    /// separate JSON mapping that, for one, kept a spec's seeds at their default [0]: a sweep resumed
    /// from storage then had a quarter of its grid.)
    /// </summary>
    public static IGrainStorageSerializer StateSerializer(IServiceProvider services) =>
        new PooledGrainStorageSerializer(services.GetRequiredService<Serializer>(), services.GetRequiredService<SerializerSessionPool>());

    /// <summary>Kernels, worker pool and serialisation, without storage (tests add their own).</summary>
    public static ISiloBuilder AddSweepsServices(this ISiloBuilder silo, int? kernelWorkers = null)
    {
        silo.Services.AddSingleton(KernelCatalog.Default);
        silo.Services.AddSingleton(_ => new PrefixCache()); // checkpoints shared by the runs of this silo
        silo.Services.AddSingleton<RunSimulation>();
        silo.Services.AddSingleton<CommandRuns>();
        silo.Services.AddSingleton<StorageProbe>();
        silo.Services.TryAddSingleton(SweepActivation.Dispatching); // a reading process registers ReadingOnly first
        silo.Services.AddMetrics();
        silo.Services.AddSingleton<SweepsMetrics>();
        silo.Services.AddSingleton(_ => new ComputePool(kernelWorkers ?? Environment.ProcessorCount));
        silo.Services.AddSweepsSerialization();
        // The grain directory's cache of grain locations keeps up to a million entries by default: one
        // per run grain ever called, long after it deactivated. It grew the heap by ~0.5 KB a run
        // (10 → 110 MB over 200,000 runs); run grains live for seconds, so a small cache loses nothing.
        silo.Configure<Orleans.Configuration.GrainDirectoryOptions>(options => options.CacheSize = 10_000);
        return silo;
    }
}
