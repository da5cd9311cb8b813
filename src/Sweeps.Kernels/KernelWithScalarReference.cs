using Sweeps.Core.Simulators;

namespace Sweeps.Kernels;

/// <summary>
/// A kernel with two implementations of one model: the SIMD path that silos run and the scalar
/// reference that tests compare it with, both behind one <c>Simulate</c>.
/// </summary>
public abstract class KernelWithScalarReference : IKernel
{
    public abstract SimulatorInfo Info { get; }

    public KernelResult Run(KernelRun run, CancellationToken cancellationToken = default) =>
        Simulate(run, vectorised: true, cancellationToken);

    /// <summary>The scalar reference: the same model, one element at a time, summed in plain order.</summary>
    public KernelResult RunScalar(KernelRun run, CancellationToken cancellationToken = default) =>
        Simulate(run, vectorised: false, cancellationToken);

    protected abstract KernelResult Simulate(KernelRun run, bool vectorised, CancellationToken cancellationToken);
}
