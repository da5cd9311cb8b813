namespace Sweeps.Contracts;

/// <summary>Where a run stands. Succeeded, Diverged, Failed, Ingested and Stopped are final.</summary>
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

    /// <summary>A curve trained elsewhere and ingested (<c>sweeps ingest</c>): a result like a succeeded run's.</summary>
    Ingested,

    /// <summary>
    /// Stopped early by the sweep's stopping rule (<c>adaptive.stop</c>): its partial curve is kept, with
    /// the rule's reason and, for the law rule, its predicted final loss (<see cref="RunResult.Stop"/>).
    /// </summary>
    Stopped,
}
