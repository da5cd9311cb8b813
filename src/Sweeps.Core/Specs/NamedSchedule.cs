using Sweeps.Core.Schedules;

namespace Sweeps.Core.Specs;

/// <summary>A schedule template of a sweep; the grid fills in peak LR, warmup and horizon.</summary>
public sealed record NamedSchedule(string Name, ScheduleSpec Template);
