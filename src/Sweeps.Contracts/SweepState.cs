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
}
