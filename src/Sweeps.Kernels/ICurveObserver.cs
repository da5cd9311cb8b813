namespace Sweeps.Kernels;

/// <summary>
/// Sees a run's curve points as its kernel records them, so a run can be watched while it is still
/// going. Called on the kernel's thread, in step order, with exactly the points the finished curve
/// will hold (a diverged run's last point excepted: its step is found after the fact). Observing
/// never changes what a kernel computes.
/// </summary>
public interface ICurveObserver
{
    void Recorded(int step, double lr, double loss);
}
