using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Sweeps.Grains;
using Sweeps.Grains.Hosting;
using Sweeps.Silo.Dashboard;
using Sweeps.Silo.Http;
using Orleans.Dashboard;

namespace Sweeps.Silo.Hosting;

/// <summary>
/// The silo of <c>sweeps silo</c>. With a Redis address, or an Azure Storage connection string, it
/// joins the cluster whose membership, grain state and reminders live there; without either it runs
/// alone on loopback with the embedded SQLite storage of <c>sweeps run</c>. The same grains serve both. With an HTTP port it also
/// serves <see cref="SiloHttpApi"/>, the dashboard's data (<see cref="DashboardApi"/>, <see cref="SweepEventStream"/>),
/// <c>/metrics</c>, and unless told not to the web dashboard (<see cref="DashboardPages"/>) and the
/// Orleans Dashboard at <c>/orleans</c>.
/// </summary>
public static class SiloHost
{
    /// <summary>The service a cluster is a deployment of unless <c>ORLEANS_SERVICE_ID</c> says otherwise, and the telemetry's service name.</summary>
    public const string DefaultServiceId = "sweeps";

    public sealed record Settings(string? Redis, string ClusterId, int SiloPort, int GatewayPort, IPAddress Advertise, string DataDirectory, int? Workers, LogLevel LogLevel)
    {
        /// <summary>The Azure Storage account (or Azurite) of the cluster, when it is not on Redis; a secret: never printed.</summary>
        public string? AzureConnectionString { get; init; }

        /// <summary>
        /// This silo's name in the cluster, its telemetry and its logs: its pod's name in Kubernetes (Orleans'
        /// Kubernetes hosting matches silos to pods by it), else the host and the silo port.
        /// </summary>
        public string SiloName => Pod?.Name ?? $"{Dns.GetHostName()}-{SiloPort}";

        /// <summary>
        /// The service the cluster is one deployment of (Orleans' ServiceId): grain state and membership are
        /// kept under it, so a new deployment of the same service (another cluster id) finds the same sweeps.
        /// </summary>
        public string ServiceId { get; init; } = DefaultServiceId;

        /// <summary>The pod this silo runs in, when it runs as one of a Kubernetes Deployment (<see cref="KubernetesPod"/>); its name is then the pod's.</summary>
        public KubernetesPod? Pod { get; init; }

        /// <summary>Whether the silo is one of a cluster (on Redis or Azure Storage) rather than alone on its SQLite store.</summary>
        public bool InCluster => Redis is not null || AzureConnectionString is not null;

        /// <summary>The port of the HTTP API (none when null).</summary>
        public int? HttpPort { get; init; }

        /// <summary>The address the HTTP API listens on.</summary>
        public IPAddress HttpBind { get; init; } = IPAddress.Loopback;

        /// <summary>The bearer token every HTTP request must carry (none required when null).</summary>
        public string? Token { get; init; }

        /// <summary>Logs as one JSON object a line (structured: sweep and run ids are fields), not text.</summary>
        public bool JsonLogs { get; init; }

        /// <summary>Whether the HTTP port also serves the web dashboard and the Orleans Dashboard (<c>/orleans</c>), or only the API and <c>/metrics</c>.</summary>
        public bool Dashboard { get; init; } = true;

        /// <summary>Sweeps this silo starts a minute at most (<see cref="SubmitRateLimit"/>); 0: no limit.</summary>
        public int SubmitsPerMinute { get; init; } = SubmitRateLimit.DefaultPerMinute;

        /// <summary>HTTP requests a minute each client address may make (<see cref="RequestRateLimit"/>); 0: no limit.</summary>
        public int RequestsPerMinute { get; init; } = RequestRateLimit.DefaultPerMinute;
    }

    public static IHost Build(Settings settings)
    {
        if (settings.HttpPort is not { } httpPort)
        {
            // No host defaults: no configuration files or environment-driven settings, and shutdown is the command's (Ctrl+C, SIGTERM).
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
            Configure(builder, settings);
            return builder.Build();
        }

        // The empty builder has no defaults either; Kestrel and routing are added by hand.
        var web = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
        web.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(settings.HttpBind, httpPort);
            kestrel.Limits.MaxRequestBodySize = SecurityHeaders.MaximumRequestBodyBytes;
        });
        web.Services.AddRoutingCore().Configure<Microsoft.AspNetCore.Routing.RouteOptions>(routes => routes.SetParameterPolicy<SweepIdConstraint>(SweepIdConstraint.Name));
        RequestRateLimit.Add(web.Services, settings.RequestsPerMinute);
        AddTelemetry(web.Services, settings);
        Configure(web, settings);
        var app = web.Build();
        app.Use(SecurityHeaders.Add);
        app.Use(HealthProbes.Answer); // before the token: probes carry none
        RequestRateLimit.Use(app, settings.RequestsPerMinute); // before the token too: guessing tokens is limited
        if (settings.Token is { } token)
        {
            app.Use(BearerToken.Require(token));
        }

        SiloHttpApi.Map(app, settings);
        SweepEventStream.Map(app);
        DashboardApi.Map(app);
        PredictionApi.Map(app);
        app.MapPrometheusScrapingEndpoint(); // GET /metrics
        if (settings.Dashboard)
        {
            DashboardPages.Map(app);
            app.MapOrleansDashboard(routePrefix: "/orleans");
        }

        return app;
    }

    /// <summary>
    /// The meters an operator expects beside Sweeps' own (<see cref="SweepsMetrics"/>), all built into
    /// .NET, ASP.NET Core and Orleans (no instrumentation packages): the runtime's GC, thread pool, CPU
    /// and memory; HTTP requests and Kestrel's connections; Orleans' grain calls, activations and messaging.
    /// </summary>
    public static readonly string[] Meters =
        [SweepsMetrics.MeterName, "System.Runtime", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.Orleans"];

    /// <summary>
    /// The silo's metrics (<see cref="Meters"/>) for Prometheus at <c>/metrics</c>, and over OTLP
    /// when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (read here: the host has no environment configuration),
    /// under the service name <c>sweeps</c> with this silo's name as its instance and its cluster id.
    /// </summary>
    private static void AddTelemetry(IServiceCollection services, Settings settings)
    {
        var otlp = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 } endpoint ? new Uri(endpoint) : null;
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(serviceName: DefaultServiceId, serviceInstanceId: settings.SiloName)
                .AddAttributes([new("sweeps.cluster_id", settings.ClusterId)]))
            .WithMetrics(metrics =>
        {
            metrics.AddMeter(Meters).AddPrometheusExporter();
            if (otlp is not null)
            {
                metrics.AddOtlpExporter(options => options.Endpoint = otlp);
            }
        });
        if (otlp is not null)
        {
            // Spans only leave the process over OTLP; without a collector there is nobody to send them to.
            telemetry.WithTracing(tracing => tracing.AddSource(SweepsTracing.SourceName).AddOtlpExporter(options => options.Endpoint = otlp));
        }
    }

    private static void Configure(IHostApplicationBuilder builder, Settings settings)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        if (settings.JsonLogs)
        {
            builder.Logging.AddJsonConsole(options => (options.IncludeScopes, options.UseUtcTimestamp, options.TimestampFormat) = (true, true, "O"));
        }

        StartupWatchdogNoise.WrapConsole(builder.Services);
        if (settings.JsonLogs)
        {
            SiloNamedLogs.Wrap(builder.Services, settings.SiloName);
        }
        builder.Logging.SetMinimumLevel(settings.LogLevel);
        // Sweeps' own lifecycle lines (a sweep started, resumed, completed) show without Orleans' chatter.
        builder.Logging.AddFilter("Sweeps", (LogLevel)Math.Min((int)settings.LogLevel, (int)LogLevel.Information));
        // Orleans' Silo class warns at every start that ServerGC is off (event 100405, twice). It is off
        // on purpose: workstation GC with a large gen-0 budget measured faster here (docs/benchmarks.md),
        // and an operator should not read an alarm at every start. Its errors still show.
        builder.Logging.AddFilter("Orleans.Runtime.Silo", settings.LogLevel <= LogLevel.Debug ? settings.LogLevel : LogLevel.Error);
        builder.UseOrleans(silo =>
        {
            settings.Pod?.Host(silo);
            silo.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (settings.ClusterId, settings.ServiceId));
            silo.Configure<SiloOptions>(options => options.SiloName = settings.SiloName);
            if (settings.HttpPort is not null && settings.Dashboard)
            {
                silo.AddDashboard();
            }

            if (settings.SubmitsPerMinute > 0)
            {
                silo.AddIncomingGrainCallFilter(new SubmitRateLimit(settings.SubmitsPerMinute));
            }

            if (settings.Redis is { } redis)
            {
                silo.ConfigureEndpoints(settings.Advertise, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(settings.Advertise));
                silo.AddSweepsWithRedis(redis, settings.Workers);
            }
            else if (settings.AzureConnectionString is { } azure)
            {
                silo.ConfigureEndpoints(settings.Advertise, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(settings.Advertise));
                silo.AddSweepsWithAzureStorage(azure, settings.Workers);
            }
            else
            {
                silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
                silo.AddSweepsWithSqliteStorage(settings.DataDirectory, settings.Workers);
            }
        });
    }
}
