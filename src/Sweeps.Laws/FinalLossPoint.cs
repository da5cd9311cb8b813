namespace Sweeps.Laws;

/// <summary>The final loss of one finished run with the hyper-parameters it was run at.</summary>
public sealed record FinalLossPoint(
    double ModelSize,
    int TotalSteps,
    double PeakLr,
    int WarmupSteps,
    string Schedule,
    int Seed,
    double FinalLoss);
