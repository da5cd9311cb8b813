using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sweeps.Cli.Cluster;
using Sweeps.Silo.Hosting;
using Sweeps.Silo.Http;

namespace Sweeps.Cli.Commands.Cluster;

/// <summary>
/// <c>sweeps silo [--storage sqlite|redis|azure] [--redis HOST:PORT] [--azure-connection-string CONN] [--cluster-id ID] [--silo-port P] [--gateway-port G] [--advertise IP]</c>:
/// hosts one silo until Ctrl+C or SIGTERM. Prints one line to stdout when it is ready. Where the
/// cluster keeps its state (<see cref="SiloStorage"/>) may also come from the environment.
/// </summary>
internal static class SiloCommand
{
    public static Command Create()
    {
        var storage = new Option<string?>("--storage") { Description = $"Where the cluster keeps membership, grain state and reminders: sqlite (a lone silo), redis or azure (default: ${SiloStorage.KindVariable}, else redis with --redis, azure with a connection string, else sqlite)" };
        storage.AcceptOnlyFromAmong(SiloStorage.Kinds);
        var redis = new Option<string?>("--redis") { Description = $"HOST:PORT of the Redis holding membership, grain state and reminders (default: ${SiloStorage.RedisVariable})" };
        var azure = new Option<string?>("--azure-connection-string") { Description = $"The Azure Storage account (or Azurite) of the cluster; prefer ${SiloStorage.AzureVariable}, which other users of the machine cannot read from the process list" };
        var serviceId = new Option<string>("--service-id") { Description = $"The service this cluster is a deployment of; its state is kept under it, so a new cluster id for the same service finds the same sweeps (default: ${EnvironmentDefaults.ServiceId}, else sweeps)", DefaultValueFactory = _ => EnvironmentDefaults.Text(EnvironmentDefaults.ServiceId, SiloHost.DefaultServiceId) };
        var kubernetes = new Option<bool>("--kubernetes") { Description = $"Run as a pod of a Kubernetes Deployment (Orleans' Kubernetes hosting): named after the pod ($POD_NAME), it labels its pod and declares dead the silos whose pods are gone; needs RBAC to get, list, watch and patch pods (default: ${EnvironmentDefaults.Kubernetes}, else false)", DefaultValueFactory = r => EnvironmentDefaults.Switch(r, EnvironmentDefaults.Kubernetes) };
        var clusterId = new Option<string>("--cluster-id") { Description = $"Which cluster to join (default: ${EnvironmentDefaults.ClusterId}, else sweeps)", DefaultValueFactory = _ => EnvironmentDefaults.Text(EnvironmentDefaults.ClusterId, "sweeps") };
        var siloPort = new Option<int>("--silo-port") { Description = $"Port for silo-to-silo traffic (default: ${EnvironmentDefaults.SiloPort}, else 11111)", DefaultValueFactory = r => EnvironmentDefaults.Number(r, EnvironmentDefaults.SiloPort, 11111) };
        var gatewayPort = new Option<int>("--gateway-port") { Description = $"Port clients connect to (default: ${EnvironmentDefaults.GatewayPort}, else 30000)", DefaultValueFactory = r => EnvironmentDefaults.Number(r, EnvironmentDefaults.GatewayPort, 30000) };
        var advertise = new Option<string>("--advertise") { Description = $"The address other silos and clients reach this one at (default: ${EnvironmentDefaults.Advertise}, else 127.0.0.1)", DefaultValueFactory = _ => EnvironmentDefaults.Text(EnvironmentDefaults.Advertise, "127.0.0.1") };
        var dataDir = new Option<string>("--data-dir") { Description = $"Where a lone silo keeps its SQLite store (default: ${EnvironmentDefaults.DataDirectory}, else sweeps-data/silo)", DefaultValueFactory = _ => EnvironmentDefaults.Text(EnvironmentDefaults.DataDirectory, "sweeps-data/silo") };
        var workers = new Option<int?>("--workers") { Description = $"Kernels run at once (default: ${EnvironmentDefaults.Workers}, else one per core)", DefaultValueFactory = r => EnvironmentDefaults.OptionalNumber(r, EnvironmentDefaults.Workers) };
        var httpPort = new Option<int>("--port") { Description = "HTTP port: the web dashboard (/, /sweeps/ID, /orleans), the JSON API (/api/…) and /metrics; clients may use --cluster HOST:PORT. 0: no HTTP (default: $" + EnvironmentDefaults.HttpPort + ", else 8080)", DefaultValueFactory = r => EnvironmentDefaults.Number(r, EnvironmentDefaults.HttpPort, DefaultHttpPort) };
        var noDashboard = new Option<bool>("--no-dashboard") { Description = "Serve only the JSON API and /metrics on --port: no web pages, no Orleans Dashboard (and none of its per-call profiling)" };
        var bind = new Option<string>("--bind") { Description = $"The address the HTTP port listens on; beyond loopback it needs {BearerToken.Variable} set (a bearer token) (default: ${EnvironmentDefaults.Bind}, else 127.0.0.1)", DefaultValueFactory = _ => EnvironmentDefaults.Text(EnvironmentDefaults.Bind, "127.0.0.1") };
        var verbose = new Option<bool>("--verbose") { Description = "Log Orleans' informational messages" };
        var logFormat = new Option<string>("--log-format") { Description = $"text, or json: one object a line with the sweep and run ids as fields (default: ${EnvironmentDefaults.LogFormat}, else text)", DefaultValueFactory = _ => EnvironmentDefaults.Text(EnvironmentDefaults.LogFormat, "text") };
        logFormat.AcceptOnlyFromAmong("text", "json");
        var submitLimit = new Option<int>("--submit-limit") { Description = "Sweeps this silo starts a minute at most; more are refused, to be submitted again later (0: no limit)", DefaultValueFactory = _ => SubmitRateLimit.DefaultPerMinute };
        var requestLimit = new Option<int>("--request-limit") { Description = "HTTP requests a minute from each client address; more get 429 (0: no limit; /healthz and /readyz never count)", DefaultValueFactory = _ => RequestRateLimit.DefaultPerMinute };
        var command = new Command("silo", "Host one silo of a Sweeps cluster")
        {
            storage, redis, azure, clusterId, serviceId, kubernetes, siloPort, gatewayPort, httpPort, noDashboard, bind, advertise, dataDir, workers, submitLimit, requestLimit, verbose, logFormat,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (AdvertisedAddress(parse.GetValue(advertise)!) is not { } address)
            {
                Console.Error.WriteLine($"--advertise ({EnvironmentDefaults.Advertise}): expected an IP address or a host name with an IPv4 address, got '{parse.GetValue(advertise)}'");
                return ExitCodes.BadInput;
            }

            if (!IPAddress.TryParse(parse.GetValue(bind), out var httpBind))
            {
                Console.Error.WriteLine($"--bind: expected an IP address, got '{parse.GetValue(bind)}'");
                return ExitCodes.BadInput;
            }

            var token = BearerToken.FromEnvironment();
            int? http = parse.GetValue(httpPort) is > 0 and var port ? port : null;
            if (http is not null && !IPAddress.IsLoopback(httpBind) && token is null)
            {
                Console.Error.WriteLine($"--bind {httpBind}: serving HTTP beyond this machine needs a bearer token; set {BearerToken.Variable}");
                return ExitCodes.BadInput;
            }

            if (parse.GetValue(logFormat) is not ("text" or "json"))
            {
                Console.Error.WriteLine($"{EnvironmentDefaults.LogFormat}: expected text or json, got '{parse.GetValue(logFormat)}'");
                return ExitCodes.BadInput;
            }

            if (parse.GetValue(workers) is < 1)
            {
                Console.Error.WriteLine($"--workers ({EnvironmentDefaults.Workers}): at least 1, got {parse.GetValue(workers)}");
                return ExitCodes.BadInput;
            }

            if (parse.GetValue(submitLimit) < 0 || parse.GetValue(requestLimit) < 0)
            {
                Console.Error.WriteLine("--submit-limit and --request-limit: a count a minute, 0 or more (0: no limit)");
                return ExitCodes.BadInput;
            }

            int[] ports = [parse.GetValue(siloPort), parse.GetValue(gatewayPort), .. http is { } served ? [served] : Array.Empty<int>()];
            if (parse.GetValue(httpPort) < 0 || ports.Any(p => p is < 1 or > 65535) || ports.Distinct().Count() < ports.Length)
            {
                Console.Error.WriteLine("--silo-port, --gateway-port and --port: different ports in 1–65535 (--port 0: no HTTP)");
                return ExitCodes.BadInput;
            }

            if (SiloStorage.Read(parse.GetValue(storage), parse.GetValue(redis), parse.GetValue(azure)) is not { } where)
            {
                return ExitCodes.BadInput;
            }

            KubernetesPod? pod = null;
            if (parse.GetValue(kubernetes))
            {
                if (!where.InCluster)
                {
                    Console.Error.WriteLine("--kubernetes: the pods of a Deployment share a cluster's storage; give --storage redis or azure");
                    return ExitCodes.BadInput;
                }

                if (KubernetesPod.FromEnvironment(out var problem) is not { } found)
                {
                    Console.Error.WriteLine($"--kubernetes ({EnvironmentDefaults.Kubernetes}): {problem}");
                    return ExitCodes.BadInput;
                }

                pod = found;
            }

            var settings = new SiloHost.Settings(where.Redis, parse.GetValue(clusterId)!, ports[0], ports[1], address,
                Path.GetFullPath(parse.GetValue(dataDir)!), parse.GetValue(workers), parse.GetValue(verbose) ? LogLevel.Information : LogLevel.Warning)
            {
                AzureConnectionString = where.AzureConnectionString,
                ServiceId = parse.GetValue(serviceId)!,
                Pod = pod,
                HttpPort = http,
                HttpBind = httpBind,
                Token = token,
                Dashboard = !parse.GetValue(noDashboard),
                JsonLogs = parse.GetValue(logFormat) == "json",
                SubmitsPerMinute = parse.GetValue(submitLimit),
                RequestsPerMinute = parse.GetValue(requestLimit),
            };
            Directory.CreateDirectory(settings.DataDirectory);
            // A lone silo owns its SQLite store as `sweeps run` does: one process at a time.
            using var directoryLock = settings.InCluster ? null : Embedded.DataDirectoryLock.Acquire(settings.DataDirectory);
            using var host = SiloHost.Build(settings);
            await host.StartAsync(cancellationToken);
            Console.WriteLine($"sweeps silo ready: cluster {settings.ClusterId}, silo port {settings.SiloPort}, gateway port {settings.GatewayPort}, "
                + (settings.HttpPort is { } httpServed ? $"http port {httpServed}{(settings.Dashboard ? $" (dashboard http://{HttpHost(settings.HttpBind)}:{httpServed}/)" : "")}, " : "")
                + where.Describe(settings.DataDirectory));
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: leave the cluster cleanly so its runs are picked up elsewhere.
            }

            using var timeout = new CancellationTokenSource(SweepsCommandLine.ShutdownAllowance);
            await host.StopAsync(timeout.Token);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// An IP address as given, or a host name's IPv4 address: in a compose file or a StatefulSet a silo
    /// knows its name before its address, and Orleans advertises an address.
    /// </summary>
    private static IPAddress? AdvertisedAddress(string given)
    {
        if (IPAddress.TryParse(given, out var address))
        {
            return address;
        }

        try
        {
            return Dns.GetHostAddresses(given).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The port the web dashboard is served on unless <c>--port</c> says otherwise.</summary>
    public const int DefaultHttpPort = 8080;

    private static string HttpHost(IPAddress bind) => bind.Equals(IPAddress.Any) || bind.Equals(IPAddress.IPv6Any) ? "localhost" : bind.ToString();
}
