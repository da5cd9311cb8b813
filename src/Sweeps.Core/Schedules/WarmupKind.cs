namespace Sweeps.Core.Schedules;

/// <summary>How the learning rate behaves during the first <c>warmup_steps</c> steps.</summary>
public enum WarmupKind
{
    /// <summary>Rises linearly from 0 at step 0 to the peak at step <c>warmup_steps - 1</c>.</summary>
    Linear,

    /// <summary>Holds <c>warmup_lr</c> (default: a tenth of the peak) for the warmup steps.</summary>
    Constant,

    /// <summary>No warmup; <c>warmup_steps</c> must be 0.</summary>
    None,
}
