namespace Sweeps.Core.Simulators;

/// <summary>
/// The simulators a spec may name. Core validates specs against it without knowing the kernels;
/// Sweeps.Kernels provides the implementation.
/// </summary>
public interface ISimulatorCatalog
{
    IReadOnlyList<SimulatorInfo> Simulators { get; }

    SimulatorInfo? Find(string name) => Simulators.FirstOrDefault(s => s.Name == name);
}
