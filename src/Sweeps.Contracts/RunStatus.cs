namespace Sweeps.Contracts;

/// <summary>Where a run stands. Succeeded, Diverged and Failed are final.</summary>
[GenerateSerializer, Alias("sweeps.run-status")]
public enum RunStatus
{
    Pending,
    Running,
    Succeeded,

    /// <summary>The loss blew up (NaN, Inf, explosion): a result, not an error.</summary>
    Diverged,

    /// <summary>The run could not be executed (kernel error); the message says why.</summary>
    Failed,
}
