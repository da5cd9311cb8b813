namespace Sweeps.Contracts;

public static class RunStatusExtensions
{
    /// <summary>The run has a final loss and a curve that fits and views use: succeeded here, or ingested.</summary>
    public static bool HasFinalLoss(this RunStatus status) => status is RunStatus.Succeeded or RunStatus.Ingested;

    /// <summary>Final: the run will not change any more.</summary>
    public static bool IsFinished(this RunStatus status) => status is RunStatus.Succeeded or RunStatus.Diverged or RunStatus.Failed or RunStatus.Ingested or RunStatus.Stopped;
}
