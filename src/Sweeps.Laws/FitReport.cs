using System.Text.Json.Serialization;

namespace Sweeps.Laws;

/// <summary>
/// The outcome of fitting one law: its parameters by name, the objective reached, the solver's
/// iterations and whether it converged, metrics on the fitted points, and the table of optimal
/// learning rates for <c>optimal_lr</c>. A law that could not be fitted has no parameters and says
/// why in <see cref="Warnings"/>.
/// </summary>
public sealed record FitReport(string Law)
{
    [JsonPropertyName("params")]
    public IReadOnlyDictionary<string, double> Parameters { get; init; } = new Dictionary<string, double>();

    /// <summary>How a curve law was fitted (<c>reference</c>, <c>optimum</c>, …); null for laws with one way.</summary>
    public string? Method { get; init; }

    /// <summary>What chose <see cref="Method"/>, and why, when a choosing method (<c>auto</c>, <c>schedule-cv</c>) picked it.</summary>
    public string? SelectedBy { get; init; }

    /// <summary>Each candidate method's held-out-schedule PredE when <see cref="SelectedBy"/> is schedule-cv.</summary>
    public IReadOnlyDictionary<string, double>? CrossValidation { get; init; }

    public double Objective { get; init; } = double.NaN;

    public int Iterations { get; init; }

    public bool Converged { get; init; }

    public int Points { get; init; }

    public FitMetrics? Metrics { get; init; }

    public IReadOnlyList<OptimalLrPoint> OptimalLr { get; init; } = [];

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>What part of a sweep a curve-law fit covers (model_size, peak_lr, warmup_steps); empty for the whole.</summary>
    public IReadOnlyDictionary<string, double> Scope { get; init; } = new Dictionary<string, double>();

    /// <summary>Bootstrap percentile intervals [low, high] of the parameters, when requested.</summary>
    public IReadOnlyDictionary<string, double[]> Intervals { get; init; } = new Dictionary<string, double[]>();

    public double ElapsedSeconds { get; init; }
}
