namespace Sweeps.Core.ExternalRuns;

/// <summary>
/// A real run as an external process (<c>simulator: {name: command, …}</c>): the argument list with
/// <c>{placeholders}</c> filled in per run (<see cref="CommandLine"/>), where and with what
/// environment it runs, how long it may take in all and between two lines of output, how much memory
/// it may hold, how many run
/// at once on one silo, and how often a failed or hung run is tried again.
/// </summary>
public sealed record CommandSpec
{
    public const double DefaultHeartbeatSeconds = 600;

    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>Where the process starts (absolute; a spec's relative path is resolved against the spec's directory).</summary>
    public string? WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Seconds the whole run may take; null: no limit.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>Seconds without a line of output after which the run is hung: killed, failed (or retried).</summary>
    public double HeartbeatTimeoutSeconds { get; init; } = DefaultHeartbeatSeconds;

    /// <summary>Most resident memory the run's processes may hold together (bytes); past it the run is killed and failed. Null: no limit.</summary>
    /// <remarks>Left out of the spec's JSON when unset, so the sweep ids of existing specs do not change.</remarks>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public long? MemoryLimitBytes { get; init; }

    /// <summary>How many runs of this sweep one silo runs at once.</summary>
    public int Slots { get; init; } = 1;

    /// <summary>How many more times a failed or hung run is started before it is recorded as failed.</summary>
    public int Retries { get; init; }
}
