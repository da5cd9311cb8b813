namespace Sweeps.Kernels;

/// <summary>
/// The state of a run in progress: what a stepped kernel advances one update at a time, and what a
/// checkpoint copies so that another run sharing the same first steps can continue from it.
/// </summary>
public abstract class KernelState
{
    /// <summary>Updates done so far.</summary>
    public int Step { get; private set; }

    /// <summary>The loss now: expected (or, for real training, the exact population loss).</summary>
    public abstract double Loss();

    public void Advance(double learningRate)
    {
        Update(learningRate);
        Step++;
    }

    /// <summary>An independent copy, at the same step, that continues exactly as this one would.</summary>
    public KernelState Copy()
    {
        var copy = Clone();
        copy.Step = Step;
        return copy;
    }

    /// <summary>Roughly how much memory a copy holds, for the checkpoint cache's bound.</summary>
    public abstract long Bytes { get; }

    protected abstract void Update(double learningRate);

    /// <summary>A deep copy of the kernel's own fields (arrays copied, random generators by value).</summary>
    protected abstract KernelState Clone();
}
