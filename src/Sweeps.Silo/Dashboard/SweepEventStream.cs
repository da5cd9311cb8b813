using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Silo.Reports;

namespace Sweeps.Silo.Dashboard;

/// <summary>
/// <c>GET /api/sweeps/{id}/events</c>: a sweep, live, as server-sent events. <c>runs</c>
/// (<c>{"reset", "runs": [row]}</c>; rows as <c>/api/sweeps/{id}/runs</c> lists them) brings the
/// runs finished since the last event: on connecting, and whenever the sweep's feed lost this
/// stream's place, every finished run with <c>reset</c> true. <c>status</c> follows, the document of
/// <c>/api/sweeps/{id}</c>, then <c>live</c>, the curves so far of running runs (as
/// <c>/api/sweeps/{id}/running</c>). They come every <see cref="Period"/> while the sweep runs; when
/// it has ended, <c>end</c> closes the stream (a browser's EventSource would otherwise reconnect).
/// An unknown id gets one <c>error</c> event.
/// </summary>
internal static class SweepEventStream
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>Rows per <c>runs</c> event: a resumed stream of a large sweep arrives in pieces the page can draw as they come.</summary>
    public const int RowsPerEvent = 4096;

    public static void Map(WebApplication app) =>
        app.MapGet("/api/sweeps/{id:sweepid}/events", (string id, IGrainFactory grains, CancellationToken cancellationToken) =>
            TypedResults.ServerSentEvents(EventsAsync(grains, grains.GetGrain<ISweepGrain>(id), cancellationToken)));

    private static async IAsyncEnumerable<SseItem<string>> EventsAsync(IGrainFactory grains, ISweepGrain sweep, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (await sweep.GetSpec() is not { } spec)
        {
            yield return Event("error", new { Error = $"no sweep with id '{sweep.GetPrimaryKeyString()}'" });
            yield break;
        }

        var grid = new SweepGrid(spec);
        var follower = new RunFollower(sweep);
        while (!cancellationToken.IsCancellationRequested)
        {
            // The status is read first: the runs read after it include every run it counts.
            var status = await sweep.GetStatus();
            var (runs, reset) = await follower.NextAsync();
            if (reset && runs.Count == 0)
            {
                yield return Event("runs", new { Reset = true, Runs = Array.Empty<RunRow>() });
            }

            foreach (var (chunk, i) in runs.Chunk(RowsPerEvent).Select((c, i) => (c, i)))
            {
                yield return Event("runs", new { Reset = reset && i == 0, Runs = chunk.Select(r => RunRow.Of(grid, r)) });
            }

            yield return Event("status", SweepReport.Of(status));
            if (status.HasEnded)
            {
                yield return Event("end", new { status.State });
                yield break;
            }

            yield return Event("live", await LiveRunRows.ReadAsync(grains, sweep, grid));

            await Task.Delay(Period, cancellationToken);
        }
    }

    private static SseItem<string> Event<T>(string type, T data) => new(ConsoleJson.SerializeCompact(data), type);
}
