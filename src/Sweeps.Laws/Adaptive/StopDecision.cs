namespace Sweeps.Laws.Adaptive;

/// <summary>
/// What a stopping rule decided about a run at one of its checkpoints, and why, in figures a user can
/// check: the loss it compared and what it compared it with.
/// </summary>
/// <param name="PredictedFinal">The law rule's prediction of the run's final loss (null for the other rules, or when it made none).</param>
/// <param name="LowEnd">The low end of that prediction's interval.</param>
/// <param name="Scale">The relative RMS residual of the fit that made the prediction: the unit of its error, for calibration.</param>
public sealed record StopDecision(bool Stop, string Reason, double? PredictedFinal = null, double? LowEnd = null, double? Scale = null)
{
    public static StopDecision Continue(string reason) => new(false, reason);
}
