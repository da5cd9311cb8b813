namespace Sweeps.Kernels;

/// <summary>
/// What a kernel needs to simulate one run: the LR of every step (the evaluated schedule), the
/// model size, the seed, the simulator options, and how many curve points to keep.
/// </summary>
public sealed record KernelRun(
    double[] LearningRates,
    double ModelSize,
    int Seed,
    IReadOnlyDictionary<string, double> Options,
    int CurvePoints = 200)
{
    public int TotalSteps => LearningRates.Length;

    /// <summary>
    /// How many leading steps another run may share (see Core's <c>HorizonIndependentPrefix</c>):
    /// a kernel that shares prefixes leaves checkpoints only up to here. Null: the whole run.
    /// </summary>
    public int? ShareablePrefix { get; init; }

    /// <summary>Told each curve point as it is recorded, by kernels that advance step by step (none: nobody is watching).</summary>
    public ICurveObserver? Observer { get; init; }

    public double Option(string name, double fallback) => Options.TryGetValue(name, out var value) ? value : fallback;
}
