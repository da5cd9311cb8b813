using Sweeps.Core.Simulators;

namespace Sweeps.Core.Tests;

/// <summary>A catalog with one simulator shaped like the quadratic kernel, so Core is tested without Kernels.</summary>
internal sealed class TestCatalog : ISimulatorCatalog
{
    public IReadOnlyList<SimulatorInfo> Simulators { get; } =
    [
        new("quadratic", "test", [new("noise", 1.0, 0, 10, "noise"), new("batch_size", 1, 1, 1024, "B", WholeNumber: true)], 1, 1 << 20, true),
    ];
}
