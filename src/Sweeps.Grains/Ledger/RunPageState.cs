using Sweeps.Contracts;

namespace Sweeps.Grains.Ledger;

/// <summary>The stored form of one page of a sweep's ledger: the finished runs of one range of grid indices.</summary>
[GenerateSerializer, Alias("sweeps.run-page-state")]
public sealed class RunPageState
{
    [Id(0)] public List<RunRecord> Records { get; set; } = [];
}
