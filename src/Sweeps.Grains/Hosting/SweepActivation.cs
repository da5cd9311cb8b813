namespace Sweeps.Grains.Hosting;

/// <summary>
/// What a sweep grain does when it activates on a sweep that was running: resume dispatching its
/// runs (a silo of a cluster, <c>sweeps run</c>), or only answer (a command that reads a data
/// directory, such as <c>sweeps status --data-dir</c>, must not run an interrupted sweep's runs).
/// </summary>
public sealed record SweepActivation(bool Resume)
{
    public static SweepActivation Dispatching { get; } = new(true);

    public static SweepActivation ReadingOnly { get; } = new(false);
}
