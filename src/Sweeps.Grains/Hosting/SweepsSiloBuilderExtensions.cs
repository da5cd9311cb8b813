using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
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
            new SqliteGrainStorage(Path.Combine(dataDirectory, DatabaseFileName), services.GetRequiredService<IGrainStorageSerializer>()));
        return silo;
    }

    /// <summary>Kernels, worker pool and serialisation, without storage (tests add their own).</summary>
    public static ISiloBuilder AddSweepsServices(this ISiloBuilder silo, int? kernelWorkers = null)
    {
        silo.Services.AddSingleton(KernelCatalog.Default);
        silo.Services.AddSingleton(_ => new PrefixCache()); // checkpoints shared by the runs of this silo
        silo.Services.AddSingleton(_ => new KernelWorkerPool(kernelWorkers ?? Environment.ProcessorCount));
        silo.Services.AddSweepsSerialization();
        return silo;
    }

    /// <summary>Lets Orleans carry the plain-library types (Core, Laws) as JSON; clients need it too.</summary>
    public static IServiceCollection AddSweepsSerialization(this IServiceCollection services) =>
        services.AddSerializer(serializer => serializer.AddJsonSerializer(SweepsJson.IsLibraryType, SweepsJson.Options));
}
