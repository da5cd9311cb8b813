using System.Diagnostics;

namespace Sweeps.Cli.Commands.Bench;

/// <summary>Times work the way the bench reports it: one warm-up call (compilation), then the median of a few.</summary>
internal static class Timing
{
    public static (T Result, double Seconds) Median<T>(Func<T> work, int repeats = 3)
    {
        var result = work();
        var seconds = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            result = work();
            seconds.Add(clock.Elapsed.TotalSeconds);
        }

        seconds.Sort();
        return (result, seconds[seconds.Count / 2]);
    }

    /// <summary>
    /// The fastest of a few runs after a warm-up: for runs of a few milliseconds on a shared machine,
    /// where interruptions only ever add time, the minimum is the steadiest estimate of the cost.
    /// </summary>
    public static (T Result, double Seconds) Fastest<T>(Func<T> work, int repeats)
    {
        var result = work();
        var fastest = double.PositiveInfinity;
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            result = work();
            fastest = Math.Min(fastest, clock.Elapsed.TotalSeconds);
        }

        return (result, fastest);
    }

    public static (T Result, double Seconds) Once<T>(Func<T> work)
    {
        var clock = Stopwatch.StartNew();
        var result = work();
        return (result, clock.Elapsed.TotalSeconds);
    }
}
