using System.CommandLine;
using System.Net;
using Sweeps.Cli.Cluster;
using Sweeps.Silo.Hosting;

namespace Sweeps.Cli.Commands.Cluster;

/// <summary>The options every client command shares: where the cluster is.</summary>
internal sealed class ClusterOptions
{
    /// <summary>Whether the command only reads: a data directory is then opened without resuming its interrupted sweeps.</summary>
    public bool ReadsOnly { get; init; }

    public Option<string?> Cluster { get; } = new("--cluster") { Description = "HOST:PORT of the Redis that holds the cluster's membership, or of a silo's HTTP port (sweeps silo --port)" };

    public Option<string?> Gateway { get; } = new("--gateway") { Description = "HOST:PORT of a lone silo's gateway (a silo started without --redis)" };

    public Option<string?> Storage { get; } = new("--storage") { Description = "redis (with --cluster) or azure (with --azure-connection-string, or $" + SiloStorage.AzureVariable + "): where the cluster's membership is" };

    public Option<string?> AzureConnectionString { get; } = new("--azure-connection-string") { Description = "The Azure Storage account (or Azurite) of a cluster on Azure Storage; prefer $" + SiloStorage.AzureVariable };

    public Option<string> ClusterId { get; } = new("--cluster-id") { Description = $"Which cluster in that Redis or storage account (default: ${EnvironmentDefaults.ClusterId}, else sweeps)", DefaultValueFactory = _ => EnvironmentDefaults.Text(EnvironmentDefaults.ClusterId, "sweeps") };

    public Option<string> ServiceId { get; } = new("--service-id") { Description = $"Which service the cluster is a deployment of (default: ${EnvironmentDefaults.ServiceId}, else sweeps)", DefaultValueFactory = _ => EnvironmentDefaults.Text(EnvironmentDefaults.ServiceId, SiloHost.DefaultServiceId) };

    public Option<string?> DataDirectory { get; } = new("--data-dir") { Description = "A data directory of sweeps run or sweeps ingest, opened in this process (no server)" };

    public void AddTo(Command command)
    {
        Storage.AcceptOnlyFromAmong("redis", "azure");
        command.Options.Add(Cluster);
        command.Options.Add(Gateway);
        command.Options.Add(Storage);
        command.Options.Add(AzureConnectionString);
        command.Options.Add(ClusterId);
        command.Options.Add(ServiceId);
        command.Options.Add(DataDirectory);
    }

    /// <summary>
    /// A client connected to the cluster these options name, or null and the exit code to return after
    /// writing why to stderr: 2 for options that name no cluster, 1 for a cluster that cannot be reached.
    /// </summary>
    public async Task<(ClusterClient? Connection, int ExitCode)> ConnectAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        if (Read(parse) is not { } address)
        {
            return (null, ExitCodes.BadInput);
        }

        var connection = await ClusterClient.ConnectAsync(address, cancellationToken);
        return (connection, connection is null ? ExitCodes.Failure : ExitCodes.Success);
    }

    /// <summary>The address, or null after writing why to stderr.</summary>
    public ClusterAddress? Read(ParseResult parse)
    {
        var (redis, gateway, directory, azure) = (parse.GetValue(Cluster), parse.GetValue(Gateway), parse.GetValue(DataDirectory), parse.GetValue(AzureConnectionString));
        var storage = parse.GetValue(Storage);
        if (storage == "azure" && azure is null || storage is null && new[] { redis, gateway, directory, azure }.All(w => w is null))
        {
            azure = Environment.GetEnvironmentVariable(SiloStorage.AzureVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
        }

        if (new[] { redis, gateway, directory, azure }.Count(w => w is not null) != 1 || storage == "azure" && azure is null || storage == "redis" && redis is null)
        {
            Console.Error.WriteLine("--cluster HOST:PORT (the Redis of a cluster), --azure-connection-string CONN (a cluster on Azure Storage), --gateway HOST:PORT (a lone silo) or --data-dir DIR (an embedded store), one of them");
            return null;
        }

        if (azure is not null)
        {
            if (SiloStorage.AccountOf(azure) is null)
            {
                Console.Error.WriteLine($"--azure-connection-string: {SiloStorage.NotAConnectionString}");
                return null;
            }

            return new ClusterAddress(null, null, parse.GetValue(ClusterId)!) { AzureConnectionString = azure, ServiceId = parse.GetValue(ServiceId)! };
        }

        if (directory is not null)
        {
            if (!Directory.Exists(directory))
            {
                Console.Error.WriteLine($"--data-dir: no directory '{directory}'");
                return null;
            }

            return new ClusterAddress(null, null, "embedded", Path.GetFullPath(directory)) { ReadsOnly = ReadsOnly };
        }

        if (redis is not null && !IsRedisAddress(redis))
        {
            Console.Error.WriteLine($"--cluster: expected HOST:PORT (or a StackExchange.Redis configuration string), got '{redis}'");
            return null;
        }

        if (gateway is not null && !IPEndPoint.TryParse(gateway, out _) && !TryResolve(gateway, out _))
        {
            Console.Error.WriteLine($"--gateway: expected HOST:PORT, got '{gateway}'");
            return null;
        }

        return new ClusterAddress(redis, gateway is null ? null : Resolve(gateway), parse.GetValue(ClusterId)!) { ServiceId = parse.GetValue(ServiceId)! };
    }

    /// <summary>HOST:PORT with a port in 1–65535 and a host without spaces, or a configuration string (it has '=' or ',').</summary>
    internal static bool IsRedisAddress(string value)
    {
        if (value.Contains('=') || value.Contains(','))
        {
            try
            {
                return StackExchange.Redis.ConfigurationOptions.Parse(value).EndPoints.Count > 0;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        var colon = value.LastIndexOf(':');
        var host = colon > 0 ? value[..colon] : "";
        return host.Length > 0 && !host.Any(c => char.IsWhiteSpace(c) || c == ':' && !host.StartsWith('['))
            && int.TryParse(value[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536;
    }

    private static IPEndPoint Resolve(string endpoint) =>
        IPEndPoint.TryParse(endpoint, out var parsed) ? parsed : TryResolve(endpoint, out var resolved) ? resolved! : throw new FormatException(endpoint);

    private static bool TryResolve(string endpoint, out IPEndPoint? resolved)
    {
        resolved = null;
        var colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint[(colon + 1)..], out var port))
        {
            return false;
        }

        try
        {
            var address = Dns.GetHostAddresses(endpoint[..colon]).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
            resolved = address is null ? null : new IPEndPoint(address, port);
            return resolved is not null;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
