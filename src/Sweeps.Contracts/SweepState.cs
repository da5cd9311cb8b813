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
}
