namespace Sweeps.Core.Schedules;

/// <summary>
/// One stage of a step schedule: the LR holds until (not including) step <see cref="Until"/>.
/// The LR is absolute (<see cref="Lr"/>) or relative to the run's peak LR (<see cref="LrRatio"/>),
/// the latter so one template serves a whole peak-LR grid axis.
/// </summary>
public sealed record StepStage(int Until, double? Lr = null, double? LrRatio = null);
