namespace Sweeps.Tests;

/// <summary>Waits on a condition, not a clock: polls until it holds, and fails saying what it waited for.</summary>
internal static class Eventually
{
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(30);

    /// <summary>Reads until <paramref name="holds"/> accepts what was read; returns it.</summary>
    /// <param name="every">How long to wait between reads (20 ms unless a read is costly, as starting a process is).</param>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> holds, string what, TimeSpan? patience = null, TimeSpan? every = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (holds(value))
            {
                return value;
            }

            if (clock.Elapsed > (patience ?? DefaultPatience))
            {
                throw new TimeoutException($"waited {clock.Elapsed.TotalSeconds:F0} s for {what}; last seen: {value}");
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(20));
        }
    }

    /// <summary>Reads until the same value comes back <paramref name="times"/> times in a row, <paramref name="apart"/> apart: a value that has settled.</summary>
    public static async Task<T> SettledAsync<T>(Func<Task<T>> read, string what, int times = 3, TimeSpan? apart = null)
    {
        var last = await read();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var same = 1; same < times;)
        {
            await Task.Delay(apart ?? TimeSpan.FromMilliseconds(200));
            var next = await read();
            same = EqualityComparer<T>.Default.Equals(next, last) ? same + 1 : 1;
            last = next;
            if (clock.Elapsed > DefaultPatience)
            {
                throw new TimeoutException($"{what} did not settle in {clock.Elapsed.TotalSeconds:F0} s; last seen: {last}");
            }
        }

        return last;
    }
}
