using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Sweeps.Cli.Output;
using Sweeps.Contracts;

namespace Sweeps.Cli.Cluster;

/// <summary>
/// The JSON a silo serves on <c>--port</c>: <c>GET /api/cluster</c> (how to reach the cluster:
/// <c>{"cluster_id", "redis", "gateway"}</c>, which is what lets a client take a silo's HTTP address
/// for <c>--cluster</c>), <c>GET /api/sweeps</c> (every sweep's status) and <c>GET /api/sweeps/ID</c>
/// (one, as <c>sweeps status ID --json</c>; 404 for an unknown id).
/// </summary>
internal static class SiloHttpApi
{
    public static void Map(WebApplication app, SiloHost.Settings settings)
    {
        var info = new ClusterInfo(settings.ClusterId, settings.Redis, new IPEndPoint(settings.Advertise, settings.GatewayPort).ToString());
        app.MapGet("/api/cluster", () => Json(info));
        app.MapGet("/api/sweeps", async (IGrainFactory grains) =>
        {
            var entries = await grains.GetGrain<ISweepDirectoryGrain>(ISweepDirectoryGrain.Key).List();
            var statuses = await Task.WhenAll(entries.Select(e => grains.GetGrain<ISweepGrain>(e.Id).GetStatus()));
            return Json(statuses.Select(SweepReport.Of).ToList());
        });
        app.MapGet("/api/sweeps/{id}", async (string id, IGrainFactory grains) =>
            await grains.GetGrain<ISweepGrain>(id).GetStatus() is { TotalRuns: > 0 } status
                ? Json(SweepReport.Of(status))
                : Microsoft.AspNetCore.Http.Results.Json(new { error = $"no sweep with id '{id}'" }, statusCode: StatusCodes.Status404NotFound));
    }

    private static IResult Json<T>(T value) => Microsoft.AspNetCore.Http.Results.Text(ConsoleJson.Serialize(value), "application/json");
}

/// <summary>What <c>GET /api/cluster</c> answers: where the cluster's membership is, or a lone silo's gateway.</summary>
internal sealed record ClusterInfo(string ClusterId, string? Redis, string Gateway);
