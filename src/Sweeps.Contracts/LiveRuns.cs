namespace Sweeps.Contracts;

/// <summary>The curves of a sweep's running runs so far: the sweep names its runs in flight, each run grain tells its own.</summary>
public static class LiveRuns
{
    /// <summary>
    /// At most <paramref name="maxRuns"/> running runs, lowest grid index first, each curve with at most
    /// <paramref name="maxPoints"/> points. A run that finished (or whose silo died) between the two
    /// questions is left out: it is a finished run now, or will be dispatched again.
    /// </summary>
    public static async Task<IReadOnlyList<LiveRun>> ReadAsync(IGrainFactory grains, ISweepGrain sweep, int maxRuns, int maxPoints)
    {
        var sweepId = sweep.GetPrimaryKeyString();
        var running = await sweep.GetRunningRuns(maxRuns);
        var live = await Task.WhenAll(running.Select(async index =>
        {
            try
            {
                return await grains.GetGrain<IRunGrain>(RunKeys.Of(sweepId, Core.Grid.RunDefinition.IdOf(index))).GetLive(maxPoints);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                return null; // its silo is going away; the sweep dispatches the run again
            }
        }));
        return live.OfType<LiveRun>().ToList();
    }
}
