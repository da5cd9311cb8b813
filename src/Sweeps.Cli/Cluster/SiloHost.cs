using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Sweeps.Grains.Hosting;

namespace Sweeps.Cli.Cluster;

/// <summary>
/// The silo of <c>sweeps silo</c>. With a Redis address it joins the cluster whose membership,
/// grain state and reminders live there; without one it runs alone on loopback with the embedded
/// SQLite storage of <c>sweeps run</c>. The same grains serve both.
/// </summary>
internal static class SiloHost
{
    public const string ServiceId = "sweeps";

    public sealed record Settings(string? Redis, string ClusterId, int SiloPort, int GatewayPort, IPAddress Advertise, string DataDirectory, int? Workers, LogLevel LogLevel);

    public static IHost Build(Settings settings)
    {
        // No host defaults: no configuration files or environment-driven settings, and shutdown is the command's (Ctrl+C, SIGTERM).
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(settings.LogLevel);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (settings.ClusterId, ServiceId));
            if (settings.Redis is { } redis)
            {
                silo.ConfigureEndpoints(settings.Advertise, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(settings.Advertise));
                silo.AddSweepsWithRedis(redis, settings.Workers);
            }
            else
            {
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: ServiceId, clusterId: settings.ClusterId);
                silo.AddSweepsWithSqliteStorage(settings.DataDirectory, settings.Workers);
            }
        });
        return builder.Build();
    }
}
