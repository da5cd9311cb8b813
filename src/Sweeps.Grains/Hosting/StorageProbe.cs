using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Sweeps.Grains.Hosting;

/// <summary>
/// Whether the silo's grain storage answers now: one read of a state nobody writes, through the same
/// provider (Redis or SQLite) the grains use, so it fails exactly when their reads and writes would.
/// </summary>
public sealed class StorageProbe([FromKeyedServices(StorageNames.Sweeps)] IGrainStorage storage)
{
    /// <summary>How long a read may take before storage counts as not answering.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    private static readonly GrainId ProbeId = GrainId.Create("sweeps-probe", "readyz");

    /// <summary>Null when storage answered in time; otherwise why not, in one line.</summary>
    public async Task<string?> ProblemAsync(CancellationToken cancellationToken)
    {
        try
        {
            await storage.ReadStateAsync("probe", ProbeId, new GrainState<ProbeState>()).WaitAsync(Patience, cancellationToken);
            return null;
        }
        catch (TimeoutException)
        {
            return $"storage did not answer within {Patience.TotalSeconds:F0} s";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"storage read failed: {e.GetType().Name}";
        }
    }

    [GenerateSerializer, Alias("sweeps.storage-probe-state")]
    public sealed class ProbeState;
}
