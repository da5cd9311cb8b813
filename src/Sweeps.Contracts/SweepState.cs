namespace Sweeps.Contracts;

/// <summary>Where a sweep stands.</summary>
[GenerateSerializer, Alias("sweeps.sweep-state")]
public enum SweepState
{
    /// <summary>Runs are being dispatched or are running.</summary>
    Running,

    /// <summary>Every run has finished; laws are being fitted.</summary>
    Fitting,

    Completed,

    /// <summary>Stopped by <c>sweeps cancel</c>: no more runs are dispatched, running kernels were asked to stop; finished runs are kept.</summary>
    Cancelled,

    /// <summary>
    /// Reported, never stored: the sweep is running or fitting, but the process that ran it stopped
    /// (a command that only reads, such as <c>status --data-dir</c>, does not resume it; running its
    /// spec again with <c>sweeps run</c> does).
    /// </summary>
    Interrupted,
}
