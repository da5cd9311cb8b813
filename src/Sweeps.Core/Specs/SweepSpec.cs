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
}
