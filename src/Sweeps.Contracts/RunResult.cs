using Sweeps.Core.Curves;

namespace Sweeps.Contracts;

/// <summary>
/// A finished run: its status, final loss (NaN unless succeeded), downsampled loss curve, the
/// error of a failed run, and the seconds its kernel took. <see cref="FromStorage"/> is set when
/// the result was recovered from storage rather than computed by this call (a resumed sweep).
/// <see cref="SimulatedSteps"/> of the run's <see cref="TotalSteps"/> were simulated by its own
/// kernel; the rest came from another run's checkpoint (prefix sharing).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweeps.run-result")]
public sealed record RunResult(
    [property: Id(0)] string SweepId,
    [property: Id(1)] long Index,
    [property: Id(2)] RunStatus Status,
    [property: Id(3)] double FinalLoss,
    [property: Id(4)] Curve? Curve,
    [property: Id(5)] string? Error,
    [property: Id(6)] double KernelSeconds,
    [property: Id(7)] bool FromStorage = false,
    [property: Id(8)] long SimulatedSteps = 0,
    [property: Id(9)] long TotalSteps = 0)
{
    /// <summary>The last lines a command run wrote besides its protocol lines (null for simulated runs).</summary>
    [Id(10)]
    public IReadOnlyList<string>? LogTail { get; init; }

    /// <summary>
    /// The curve is kept without its LR column, which is the run's schedule (<see cref="ScheduleLrColumn"/>);
    /// <see cref="RunResults"/>.<c>Of</c> returns it whole.
    /// </summary>
    [Id(11)]
    public bool LrOfSchedule { get; init; }

    /// <summary>Where and why the sweep's stopping rule stopped the run (null unless <see cref="RunStatus.Stopped"/>).</summary>
    [Id(12)]
    public RunStop? Stop { get; init; }

    /// <summary>
    /// The law rule's predictions of this run's final loss, made as it ran: once the run has finished, they
    /// calibrate the rule's later predictions, and a sweep resumed after a crash reads them back from here.
    /// </summary>
    [Id(13)]
    public IReadOnlyList<FinalLossPrediction>? Predictions { get; init; }

    /// <summary>The run grain of another sweep whose identical run this result was read from (null: run here).</summary>
    [Id(14)]
    public string? ReusedFrom { get; init; }
}
