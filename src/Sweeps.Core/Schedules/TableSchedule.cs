namespace Sweeps.Core.Schedules;

/// <summary>Explicit per-step values (an optimised schedule); the warmup is part of the table.</summary>
internal static class TableSchedule
{
    public static void Fill(ScheduleSpec spec, Span<double> all)
    {
        for (var i = 0; i < all.Length; i++)
        {
            all[i] = spec.Values[i];
        }
    }
}
