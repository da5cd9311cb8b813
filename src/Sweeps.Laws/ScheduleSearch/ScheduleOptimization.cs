namespace Sweeps.Laws.ScheduleSearch;

/// <summary>
/// An optimised schedule (every step, warmup included) and what the law predicts for it:
/// <paramref name="Method"/> names the search (<c>staircase</c>, <c>descent</c>, <c>family</c>),
/// <paramref name="Stages"/> the number of constant-LR stages after the peak where the method has them.
/// </summary>
public sealed record ScheduleOptimization(
    double[] LearningRates, double PredictedFinalLoss, int Iterations, int Evaluations, bool Converged, double ElapsedSeconds, string Method, int? Stages = null)
{
    /// <summary>What the reader should know before trusting the optimum (an optimum on the edge of the searched family).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The first step whose LR is below 99% of the peak (the start of the decay), or T if none.</summary>
    public int DecayStart(int warmupSteps) =>
        Array.FindIndex(LearningRates, warmupSteps, lr => lr < 0.99 * LearningRates[warmupSteps]) is var i and >= 0 ? i : LearningRates.Length;

    public double FinalLrRatio(int warmupSteps) => LearningRates[^1] / LearningRates[warmupSteps];
}
