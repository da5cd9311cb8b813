namespace Sweeps.Laws.Mpl;

/// <summary>An optimised schedule (every step, warmup included) and what the law predicts for it.</summary>
public sealed record ScheduleOptimization(double[] LearningRates, double PredictedFinalLoss, int Iterations, bool Converged, double ElapsedSeconds)
{
    /// <summary>The first step whose LR is below 99% of the peak (the start of the decay), or T if none.</summary>
    public int DecayStart(int warmupSteps) =>
        Array.FindIndex(LearningRates, warmupSteps, lr => lr < 0.99 * LearningRates[warmupSteps]) is var i and >= 0 ? i : LearningRates.Length;

    public double FinalLrRatio(int warmupSteps) => LearningRates[^1] / LearningRates[warmupSteps];
}
