using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Silo.Hosting;
using Sweeps.Silo.Reports;
using static Sweeps.Silo.Http.ApiResults;

namespace Sweeps.Silo.Http;

/// <summary>
/// The JSON a silo serves on <c>--port</c>: <c>GET /api/cluster</c> (how to reach the cluster:
/// <c>{"cluster_id", "redis", "gateway", "service_id"}</c>, which is what lets a client take a silo's HTTP address
/// for <c>--cluster</c>), <c>GET /api/sweeps</c> (every sweep's status) and <c>GET /api/sweeps/ID</c>
/// (one, as <c>sweeps status ID --json</c>; 404 for an unknown id), <c>GET /api/sweeps/ID/fit</c>
/// (<c>{"id", "state", "fits"}</c>) and <c>GET /api/sweeps/ID/runs?from=I&amp;count=N</c> (the finished runs
/// with index ≥ I in grid order, at most N ≤ 4,096: <c>{"id", "total_runs", "runs": [row], "next"}</c>,
/// a row <c>{"run_id", "index", "model_size", "total_steps", "schedule", "warmup_steps", "peak_lr",
/// "options", "seed", "status", "final_loss"}</c>; <c>next</c> is where the following page starts, null
/// after the last).
/// </summary>
internal static class SiloHttpApi
{
    public static void Map(WebApplication app, SiloHost.Settings settings)
    {
        var info = new ClusterInfo(settings.ClusterId, settings.Redis, new IPEndPoint(settings.Advertise, settings.GatewayPort).ToString()) { ServiceId = settings.ServiceId };
        app.MapGet("/api/cluster", () => Json(info));
        app.MapGet("/api/sweeps", async (IGrainFactory grains) =>
        {
            var entries = await grains.GetGrain<ISweepDirectoryGrain>(ISweepDirectoryGrain.Key).List();
            var statuses = await Task.WhenAll(entries.Select(e => grains.GetGrain<ISweepGrain>(e.Id).GetStatus()));
            return Json(statuses.Select(SweepReport.Of).ToList());
        });
        app.MapGet("/api/sweeps/{id:sweepid}", async (string id, IGrainFactory grains) =>
            await grains.GetGrain<ISweepGrain>(id).GetStatus() is { TotalRuns: > 0 } status
                ? Json(SweepReport.Of(status))
                : NoSweep(id));
        app.MapGet("/api/sweeps/{id:sweepid}/fit", async (string id, IGrainFactory grains) =>
            await grains.GetGrain<ISweepGrain>(id).GetStatus() is { TotalRuns: > 0 } status
                ? Json(new { status.Id, status.State, status.Fits })
                : NoSweep(id));
        app.MapGet("/api/sweeps/{id:sweepid}/runs", async (string id, string? from, string? count, IGrainFactory grains) =>
        {
            var problems = new List<string>();
            var start = Query.Whole(from, "from", 0, 0, long.MaxValue, problems);
            var size = (int)Query.Whole(count, "count", 1000, 1, MaxRunsPerPage, problems);
            if (problems.Count > 0)
            {
                return BadRequest(problems);
            }

            var sweep = grains.GetGrain<ISweepGrain>(id);
            if (await sweep.GetSpec() is not { } spec)
            {
                return NoSweep(id);
            }

            var grid = new SweepGrid(spec);
            var records = await sweep.GetRuns(start, size);
            // A short page is the last one: no finished run lies beyond it (yet).
            var next = records.Count == size && records[^1].Index + 1 < grid.Count ? records[^1].Index + 1 : (long?)null;
            return Json(new
            {
                Id = id,
                TotalRuns = grid.Count,
                Runs = records.Select(r => RunRow.Of(grid, r)).ToList(),
                Next = next,
            });
        });

        // Anything else under /api (an unknown path, or a known one with a mistyped segment such as
        // /runs/abc) answers a JSON 404 that names it, not an empty body.
        app.MapFallback("/api/{**path}", (HttpContext context) =>
            NotFound($"no endpoint {context.Request.Method} {Query.Shorten(context.Request.Path.Value ?? "")}"));
    }

    /// <summary>Most finished runs one <c>/runs</c> request returns (a page of the sweep's ledger).</summary>
    public const int MaxRunsPerPage = 4096;

}

/// <summary>What <c>GET /api/cluster</c> answers: where the cluster's membership is, or a lone silo's gateway.</summary>
public sealed record ClusterInfo(string ClusterId, string? Redis, string Gateway)
{
    /// <summary>The service the cluster is a deployment of (a silo of an older version names none: the default).</summary>
    public string ServiceId { get; init; } = SiloHost.DefaultServiceId;
}
