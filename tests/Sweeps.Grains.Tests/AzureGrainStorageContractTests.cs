using Sweeps.Grains.Hosting;
using Sweeps.Tests;

namespace Sweeps.Grains.Tests;

/// <summary>
/// The storage contract on Azure Storage (blobs for state, tables for membership), through the
/// provider a silo of an Azure cluster configures (<see cref="SweepsSiloBuilderExtensions.AddSweepsWithAzureStorage"/>),
/// on an Azurite of the test's own.
/// </summary>
[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public sealed class AzureGrainStorageContractTests : SiloHostedStorageContract
{
    private AzuriteServer? _azurite;

    public override async Task InitializeAsync() => _azurite = await AzuriteServer.StartAsync();

    protected override void AddStore(ISiloBuilder silo) => silo.AddSweepsWithAzureStorage(_azurite!.ConnectionString);

    protected override void StopStore() => _azurite?.Dispose();
}
