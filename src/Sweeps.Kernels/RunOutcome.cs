namespace Sweeps.Kernels;

/// <summary>How a simulated run ended.</summary>
public enum RunOutcome
{
    Succeeded,

    /// <summary>The loss became non-finite or exploded; the curve ends where that was seen.</summary>
    Diverged,
}
