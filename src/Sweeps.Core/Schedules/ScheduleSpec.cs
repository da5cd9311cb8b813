namespace Sweeps.Core.Schedules;

/// <summary>
/// A learning-rate schedule as written in a spec or manifest (DESIGN.md, Schedules). Which keys
/// matter depends on <see cref="Kind"/>; <see cref="ScheduleValidator"/> says which are missing or
/// impossible, and <see cref="Schedule.Evaluate"/> turns a valid one into one LR per step.
/// </summary>
public sealed record ScheduleSpec
{
    public ScheduleKind Kind { get; init; } = ScheduleKind.Constant;

    /// <summary>Peak LR; a step schedule takes its peak from its stages instead.</summary>
    public double? PeakLr { get; init; }

    public double? FinalLr { get; init; }

    /// <summary>Final LR as a fraction of the peak; an alternative to <see cref="FinalLr"/>.</summary>
    public double? FinalLrRatio { get; init; }

    public WarmupKind Warmup { get; init; } = WarmupKind.Linear;

    public int WarmupSteps { get; init; }

    /// <summary>LR held during a <see cref="WarmupKind.Constant"/> warmup (default: peak / 10).</summary>
    public double? WarmupLr { get; init; }

    public int TotalSteps { get; init; }

    /// <summary>WSD: first step of the decay.</summary>
    public int? DecayStart { get; init; }

    /// <summary>WSD: fraction of <see cref="TotalSteps"/> spent decaying; an alternative to <see cref="DecayStart"/>.</summary>
    public double? DecayFraction { get; init; }

    public DecayShape DecayShape { get; init; } = DecayShape.Linear;

    /// <summary>Polynomial: exponent of <c>(1 - progress)</c>.</summary>
    public double Power { get; init; } = 1.0;

    public IReadOnlyList<StepStage> Stages { get; init; } = [];

    public IReadOnlyList<DecayWindow> Decays { get; init; } = [];

    /// <summary>Table: one LR per step, warmup included.</summary>
    public IReadOnlyList<double> Values { get; init; } = [];

    /// <summary>The LR the schedule rises to: the peak, or a step schedule's first stage.</summary>
    public double ResolvedPeak => Kind == ScheduleKind.Step && Stages.Count > 0
        ? ResolveStageLr(Stages[0])
        : Kind == ScheduleKind.Table && Values.Count > 0 ? Values.Max() : PeakLr ?? double.NaN;

    /// <summary>The LR the schedule decays towards (0 unless given).</summary>
    public double ResolvedFinal => FinalLr ?? (FinalLrRatio is { } ratio ? ratio * (PeakLr ?? double.NaN) : 0.0);

    /// <summary>WSD: the first decaying step, from <see cref="DecayStart"/> or <see cref="DecayFraction"/>.</summary>
    public int ResolvedDecayStart => DecayStart
        ?? (DecayFraction is { } fraction ? TotalSteps - (int)Math.Round(fraction * TotalSteps) : TotalSteps);

    /// <summary>Steps that follow the warmup rule (0 when there is no warmup).</summary>
    public int EffectiveWarmupSteps => Warmup == WarmupKind.None || Kind == ScheduleKind.Table ? 0 : WarmupSteps;

    public double ResolveStageLr(StepStage stage) => stage.Lr ?? (stage.LrRatio ?? double.NaN) * (PeakLr ?? double.NaN);
}
