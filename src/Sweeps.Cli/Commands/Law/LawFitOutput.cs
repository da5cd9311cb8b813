using Sweeps.Laws;

namespace Sweeps.Cli.Commands.Law;

/// <summary>
/// What <c>sweeps law fit --json</c> prints (DESIGN.md): <c>{"law", "params", "objective", "train":
/// {curve: metrics}, "test": {curve: metrics}, "summary": {"train", "test"}, "elapsed_seconds"}</c>,
/// plus the solver's iterations and convergence, any warnings, and bootstrap intervals on request.
/// </summary>
internal sealed record LawFitOutput(
    string Law,
    [property: System.Text.Json.Serialization.JsonPropertyName("params")] IReadOnlyDictionary<string, double> Parameters,
    double Objective,
    int Iterations,
    bool Converged,
    IReadOnlyDictionary<string, FitMetrics> Train,
    IReadOnlyDictionary<string, FitMetrics> Test,
    IReadOnlyDictionary<string, FitMetrics?> Summary,
    IReadOnlyList<string> Warnings,
    double ElapsedSeconds)
{
    /// <summary>95% bootstrap intervals [low, high] per parameter (empty unless <c>--bootstrap</c>).</summary>
    public IReadOnlyDictionary<string, double[]> Intervals { get; init; } = new Dictionary<string, double[]>();

    /// <summary>How many bootstrap resamples the intervals come from (0: none).</summary>
    public int Bootstrap { get; init; }
}
