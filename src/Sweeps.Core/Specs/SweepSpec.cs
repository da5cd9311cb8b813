namespace Sweeps.Core.Specs;

/// <summary>
/// A validated sweep: which simulator, the grid of runs, what to fit. Built only by
/// <see cref="SweepSpecParser"/>, which guarantees every run of the grid is valid.
/// </summary>
public sealed record SweepSpec
{
    public const long DefaultMaxRuns = 1_000_000;
    public const int DefaultConcurrency = 8;
    public const int DefaultCurvePoints = 200;

    public required string Name { get; init; }

    public string Description { get; init; } = "";

    public required string Simulator { get; init; }

    /// <summary>Simulator options held fixed for every run (defaults filled in).</summary>
    public required IReadOnlyDictionary<string, double> Options { get; init; }

    public required IReadOnlyList<double> PeakLr { get; init; }

    public required IReadOnlyList<int> WarmupSteps { get; init; }

    public required IReadOnlyList<double> ModelSize { get; init; }

    public required IReadOnlyList<int> TotalSteps { get; init; }

    public required IReadOnlyList<NamedSchedule> Schedules { get; init; }

    /// <summary>Simulator options swept as grid axes, in spec order.</summary>
    public IReadOnlyList<OptionAxis> OptionAxes { get; init; } = [];

    public IReadOnlyList<int> Seeds { get; init; } = [0];

    public IReadOnlyList<string> Laws { get; init; } = [];

    public int Concurrency { get; init; } = DefaultConcurrency;

    public long MaxRuns { get; init; } = DefaultMaxRuns;

    /// <summary>Most points kept of each run's loss curve (it is downsampled to this).</summary>
    public int CurvePoints { get; init; } = DefaultCurvePoints;

    /// <summary>
    /// Consecutive runs of the grid executed, stored and reported together as one task (null: one run a
    /// task). For sweeps of very short runs, where a run's own grain activation and storage write would
    /// cost more than its kernel. Left out of the spec's JSON when unset, so existing sweep ids stay.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? RunsPerTask { get; init; }

    /// <summary>
    /// Bootstrap resamples for the 95% intervals of the fitted coefficients (null: the laws' defaults,
    /// which bootstrap Chinchilla but not the costlier curve laws; 0: no bootstrap intervals). Left
    /// out of the spec's JSON when unset, so existing sweep ids stay.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? Bootstrap { get; init; }

    /// <summary>What each run executes when the simulator is <c>command</c> (null for the simulation kernels).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ExternalRuns.CommandSpec? Command { get; init; }

    /// <summary>
    /// The runs themselves, in place of the grid of the axes above (an ingested sweep: one run per curve,
    /// each with its own schedule). Left out of the spec's JSON when unset, so existing sweep ids stay.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Grid.RunDefinition>? Runs { get; init; }

    /// <summary>
    /// What the sweep adapts as runs finish (<c>adaptive:</c>): which runs it stops early. Left out of the
    /// spec's JSON when unset, so existing sweep ids stay.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public AdaptiveSpec? Adaptive { get; init; }

    /// <summary>
    /// False: every run is executed here, even one that another sweep of the store finished with the same
    /// content (a script changed in place, a measurement to repeat). Null: such runs are read, not run again.
    /// Left out of the spec's JSON when unset, so existing sweep ids stay.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public bool? Reuse { get; init; }

    /// <summary>
    /// Runs the sweep added to its grid (<c>adaptive.refine</c>), after the grid's own and in the order added:
    /// set by the sweep on the spec it hands its readers, never by a spec file (the submitted spec, and so the
    /// sweep id, stays as written).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Grid.RunDefinition>? AddedRuns { get; init; }

    /// <summary>How runs are stopped early, or null when every run goes to its last step.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public StoppingSettings? Stopping => Adaptive?.Stop;

    /// <summary>The sweep's runs are curves ingested from elsewhere (<c>sweeps ingest</c>): nothing is dispatched or executed.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsIngested => Simulator == IngestedSimulator;

    /// <summary>The simulator name of an ingested sweep.</summary>
    public const string IngestedSimulator = "ingested";

    /// <summary>Runs per task, 1 when unset.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int TaskSize => RunsPerTask ?? 1;
}
