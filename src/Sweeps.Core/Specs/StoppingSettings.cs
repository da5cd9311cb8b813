using System.Text.Json.Serialization;

namespace Sweeps.Core.Specs;

/// <summary>Which rule stops runs early: the curve law's prediction, or one of the pruners people use.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StoppingRuleKind>))]
public enum StoppingRuleKind
{
    /// <summary>Stop a run when even the low end of its predicted final loss is worse than the best already reached (Sweeps.Laws.Adaptive.LawStopping).</summary>
    Law,

    /// <summary>Asynchronous successive halving on the partial loss at rungs (Sweeps.Laws.Adaptive.AshaStopping), as Ray Tune's ASHA and Optuna's SuccessiveHalvingPruner do.</summary>
    Asha,

    /// <summary>Stop a run whose partial loss is worse than the median of the others at the same step (Sweeps.Laws.Adaptive.MedianStopping), as Optuna's MedianPruner does.</summary>
    Median,
}

/// <summary>
/// How a sweep stops runs early. Fractions are of a run's horizon (its total steps); losses compare
/// only runs of the same model size and horizon, the runs among which a sweep picks its best (the law
/// rule also holds a run against a shorter horizon's best, which this horizon's best will be below).
/// </summary>
public sealed record StoppingSettings
{
    public StoppingRuleKind Rule { get; init; } = StoppingRuleKind.Law;

    /// <summary>The curve law that predicts a run's final loss (the law rule).</summary>
    public string Law { get; init; } = KnownLaws.Mpl;

    /// <summary>
    /// The law's parameters from a fit file (<c>adaptive.stop.fit</c>, as <c>sweeps law fit --out</c> writes
    /// it, read with the spec): every run is predicted with them from its first checkpoint, without waiting
    /// for a run of its model size and peak LR to finish. A multi-scale MPL (one fitted to curves of several
    /// model sizes) is evaluated at each run's model size and peak LR. Null: the law is fitted to the
    /// sweep's own runs.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? FitParameters { get; init; }

    /// <summary>The fit file as the spec names it, to say where <see cref="FitParameters"/> came from.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FitFile { get; init; }

    /// <summary>
    /// No run is judged before this fraction of its horizon (law and median rules). The law rule's interval
    /// widens for predictions made early, so judging early is safe; `sweeps bench adaptive` measured 0.1
    /// against 0.25 (docs/benchmarks.md).
    /// </summary>
    public double After { get; init; } = 0.1;

    /// <summary>After <see cref="After"/>, a run is judged again every this fraction of its horizon (law and median rules).</summary>
    public double Every { get; init; } = 0.05;

    /// <summary>
    /// How much worse than the best final loss, as a fraction of it, a run's predicted low end must be
    /// before it is stopped (law rule): 0.002 stops only runs that cannot come within 0.2% of the best.
    /// </summary>
    public double Margin { get; init; }

    /// <summary>
    /// The one-sided coverage of the predicted final loss's low end (law rule): a run stopped is worse
    /// than its low end with at least this probability, as calibrated on the sweep's own finished runs.
    /// </summary>
    public double Confidence { get; init; } = 0.9;

    /// <summary>ASHA's reduction factor: a third of the runs at a rung go on to the next.</summary>
    public int ReductionFactor { get; init; } = 3;

    /// <summary>ASHA's first rung, as a fraction of the horizon; the next rungs are this times the reduction factor, squared, … (1/27: rungs at 1/27, 1/9 and 1/3).</summary>
    public double MinResource { get; init; } = 1.0 / 27;

    /// <summary>The median rule judges a run only once this many runs of its model size and horizon have finished (Optuna's n_startup_trials).</summary>
    public int StartupRuns { get; init; } = 5;
}
