namespace Sweeps.Contracts;

/// <summary>
/// Follows a sweep's finished runs as they are recorded, for views that update live (the web
/// dashboard's event stream, <c>sweeps watch</c>): the first call, and any call after the feed lost
/// the reader's place, returns every finished run with <c>Reset</c> set; later calls only the
/// runs recorded since. A run may come twice around a reset; readers key runs by index.
/// </summary>
public sealed class RunFollower(ISweepGrain sweep)
{
    private Guid _epoch;
    private long _sequence;

    public async Task<(IReadOnlyList<RunRecord> Runs, bool Reset)> NextAsync()
    {
        var page = await sweep.GetRecentRuns(_epoch, _sequence);
        (_epoch, _sequence) = (page.Epoch, page.Sequence);
        return page.Gap ? (await sweep.GetAllRunsAsync(), true) : (page.Runs, false);
    }
}
