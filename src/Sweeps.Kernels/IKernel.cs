using Sweeps.Core.Simulators;

namespace Sweeps.Kernels;

/// <summary>
/// A simulation kernel: turns a run (schedule, model size, seed, options) into a loss curve.
/// Kernels are deterministic for a given run on any machine, allocate per run and not per step,
/// and observe cancellation between chunks of steps.
/// </summary>
public interface IKernel
{
    SimulatorInfo Info { get; }

    KernelResult Run(KernelRun run, CancellationToken cancellationToken = default);
}
