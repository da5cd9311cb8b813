using Sweeps.Core.Simulators;

namespace Sweeps.Kernels;

/// <summary>The kernels a silo can run, by the <c>simulator:</c> name of a spec.</summary>
public sealed class KernelCatalog : ISimulatorCatalog
{
    private readonly Dictionary<string, IKernel> _kernels;

    public KernelCatalog(IEnumerable<IKernel> kernels) => _kernels = kernels.ToDictionary(k => k.Info.Name);

    /// <summary>Every kernel Sweeps ships.</summary>
    public static KernelCatalog Default { get; } = new([new Quadratic(), new RandomFeature(), new RiverValley(), new BigramLm(), new MplSurrogate()]);

    public IReadOnlyList<SimulatorInfo> Simulators => _kernels.Values.Select(k => k.Info).ToList();

    public IKernel Get(string name) => _kernels.TryGetValue(name, out var kernel)
        ? kernel
        : throw new KeyNotFoundException($"no simulator named '{name}' (have {string.Join(", ", _kernels.Keys)})");
}
