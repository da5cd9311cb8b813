namespace Sweeps.Laws;

/// <summary>
/// The best peak LR found for one (model size, horizon): <see cref="PeakLr"/> interpolated between
/// grid points, <see cref="Loss"/> the loss there, and the best grid point itself. When the minimum
/// sits at the edge of the LR grid the true optimum may lie outside it: <see cref="AtGridEdge"/>.
/// </summary>
public sealed record OptimalLrPoint(
    double ModelSize,
    int TotalSteps,
    double PeakLr,
    double Loss,
    double GridPeakLr,
    double GridLoss,
    string Schedule,
    int WarmupSteps,
    bool AtGridEdge);
