namespace Sweeps.Core.Schedules;

/// <summary>The shape of a schedule after its warmup (DESIGN.md, Schedules).</summary>
public enum ScheduleKind
{
    Constant,
    Cosine,
    Linear,
    Wsd,
    Step,
    Polynomial,
    WsdS,
    Table,
}
