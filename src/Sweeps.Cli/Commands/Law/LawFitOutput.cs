using System.Text.Json.Serialization;
using Sweeps.Laws;
using Sweeps.Laws.Scaling;

namespace Sweeps.Cli.Commands.Law;

/// <summary>
/// What <c>sweeps law fit --json</c> prints (DESIGN.md): <c>{"law", "params", "objective", "train":
/// {curve: metrics}, "test": {curve: metrics}, "summary": {"train", "test"}, "elapsed_seconds"}</c>,
/// plus the solver's iterations and convergence, any warnings, and bootstrap intervals on request;
/// a fit across model sizes adds its structure, cross-validation scores and fitted range.
/// </summary>
internal sealed record LawFitOutput(
    string Law,
    [property: JsonPropertyName("params")] IReadOnlyDictionary<string, double> Parameters,
    double Objective,
    int Iterations,
    bool Converged,
    IReadOnlyDictionary<string, FitMetrics> Train,
    IReadOnlyDictionary<string, FitMetrics> Test,
    IReadOnlyDictionary<string, FitMetrics?> Summary,
    IReadOnlyList<string> Warnings,
    double ElapsedSeconds)
{
    /// <summary>The <c>summary</c> of a curve-law fit: the mean metrics of the train curves and of the test curves (null when none).</summary>
    public static Dictionary<string, FitMetrics?> Summarise(IReadOnlyDictionary<string, FitMetrics> train, IReadOnlyDictionary<string, FitMetrics> test) => new()
    {
        ["train"] = FitMetrics.Mean(train.Values.ToList()),
        ["test"] = test.Count > 0 ? FitMetrics.Mean(test.Values.ToList()) : null,
    };

    /// <summary>The warning a fit carries when its solver stopped before converging.</summary>
    public static IReadOnlyList<string> ConvergenceWarnings(bool converged) => converged ? [] : NotConverged;

    private static readonly string[] NotConverged = ["the solver stopped before converging"];

    /// <summary>How the law was fitted (the MPL's <c>reference</c> or <c>optimum</c>); absent for laws fitted one way.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Method { get; init; }

    /// <summary>What chose <see cref="Method"/> and why (the default <c>auto</c>, or <c>schedule-cv</c>); absent when the user named the method.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SelectedBy { get; init; }

    /// <summary>Each candidate's mean PredE on held-out training schedules, when schedule-cv chose the method.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? CrossValidation { get; init; }

    /// <summary>95% bootstrap intervals [low, high] per parameter (empty unless <c>--bootstrap</c>).</summary>
    public IReadOnlyDictionary<string, double[]> Intervals { get; init; } = new Dictionary<string, double[]>();

    /// <summary>How many bootstrap resamples the intervals come from (0: none).</summary>
    public int Bootstrap { get; init; }

    /// <summary>A multi-scale fit: how each parameter scales with model size (absent for one size).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Structure { get; init; }

    /// <summary>A multi-scale fit: each candidate structure's score under <see cref="StructureCriterion"/> (lower is better).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? StructureScores { get; init; }

    /// <summary>A multi-scale fit: leave-one-size-out PredE (four or more sizes) or BIC (three).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StructureCriterion { get; init; }

    /// <summary>The scales of the training curves, so that `law eval` and `predict --fit` can say how far they extrapolate.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public FittedRange? FittedRange { get; init; }
}
