namespace Sweeps.Laws.Scaling;

/// <summary>
/// The recommendation for a model of <see cref="ModelSize"/> trained for <see cref="TotalSteps"/>
/// steps (what <c>sweeps predict</c> prints): the peak LR with its interval and how each method
/// reads it, the warmup, the predicted final loss per schedule at that LR (<c>optimal</c>: the
/// law-optimal schedule, <see cref="OptimalSchedule"/>), the laws' coefficients, the divergence risk,
/// and warnings (extrapolation distance, disagreements, what could not be fitted).
/// </summary>
public sealed record ScalePrediction(
    double ModelSize,
    int TotalSteps,
    double OptimalPeakLr,
    double[] OptimalPeakLrInterval,
    int WarmupSteps,
    IReadOnlyDictionary<string, double> PredictedFinalLoss,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Coefficients,
    DivergenceRisk DivergenceRisk,
    IReadOnlyList<string> Warnings)
{
    public IReadOnlyList<PeakLrAnswer> PeakLrAnswers { get; init; } = [];

    /// <summary>The loss law's optimal peak LR for each baseline schedule (the recommendation is the best schedule's).</summary>
    public IReadOnlyDictionary<string, double> OptimalPeakLrBySchedule { get; init; } = new Dictionary<string, double>();

    /// <summary>The target's distance beyond the fitted range: size / largest fitted size and steps / longest fitted horizon (below 1: inside).</summary>
    public IReadOnlyDictionary<string, double> Extrapolation { get; init; } = new Dictionary<string, double>();

    /// <summary>Each multi-scale structure tried, scored by <see cref="StructureCriterion"/> (lower is better; the chosen one is in the coefficients).</summary>
    public IReadOnlyDictionary<string, double> StructureScores { get; init; } = new Dictionary<string, double>();

    /// <summary>How the structures were scored (<see cref="MultiScaleMplFit.CrossValidationCriterion"/> or <see cref="MultiScaleMplFit.BicCriterion"/>); null when nothing was chosen.</summary>
    public string? StructureCriterion { get; init; }

    /// <summary>The best final loss at this scale by Chinchilla's L(N, T) over the sweep's optima, a check on the curve law.</summary>
    public double ChinchillaFinalLoss { get; init; } = double.NaN;

    /// <summary>
    /// Chinchilla's compute-optimal frontier through the sweep's optima (D in steps): for budgets N·T
    /// from the smallest swept to the target's, the best model size, horizon and loss; the last point is the target's budget.
    /// </summary>
    public IReadOnlyList<ComputeOptimalPoint> ComputeOptimalFrontier { get; init; } = [];

    /// <summary>The law-optimal schedule, every step (warmup included); null when no curve law could be fitted.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double[]? OptimalSchedule { get; init; }
}
