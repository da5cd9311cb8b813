using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Sweeps.Contracts;
using Sweeps.Grains.Hosting;
using Sweeps.Silo.Hosting;

namespace Sweeps.Cli.Cluster;

/// <summary>
/// A client of a Sweeps cluster for the console's client commands: through the Redis that holds
/// the membership table (<c>--cluster HOST:PORT</c>, which may also be a silo's HTTP port: see
/// <see cref="ClusterEndpoint"/>), or straight to one silo's gateway (<c>--gateway HOST:PORT</c>).
/// </summary>
internal sealed class ClusterClient : IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private readonly Func<ValueTask> _dispose;

    private ClusterClient(IServiceProvider services, Func<ValueTask> dispose, ClusterAddress address) => (_services, _dispose, Address) = (services, dispose, address);

    /// <summary>Where the client connected: for a silo's HTTP port, the cluster that silo named.</summary>
    public ClusterAddress Address { get; }

    public IClusterClient Client => _services.GetRequiredService<IClusterClient>();

    /// <summary>A connected client, or null after writing to stderr why there is none.</summary>
    public static async Task<ClusterClient?> ConnectAsync(ClusterAddress given, CancellationToken cancellationToken)
    {
        if (given.DataDirectory is { } directory)
        {
            // A data directory of sweeps run or ingest: its silo is started here, as those commands do.
            // It stops quietly: a sweep this command submitted or resumed may still be dispatching runs.
            var silo = await Embedded.EmbeddedSilo.StartAsync(directory, LogLevel.Error, cancellationToken, readingOnly: given.ReadsOnly);
            return new ClusterClient(silo.Services, silo.StopQuietlyAsync, given);
        }

        if (await ClusterEndpoint.ResolveAsync(given, cancellationToken) is not { } address)
        {
            return null;
        }

        // Right after a silo dies the membership table still lists its gateway for a while, and the
        // client's start can fail on it: retry with backoff before giving up.
        var deadline = DateTime.UtcNow + ConnectPatience;
        var delay = TimeSpan.FromSeconds(1);
        for (var attempt = 1; ; attempt++)
        {
            var host = Build(address);
            // Orleans' own start waits minutes for a gateway to be listed; this command's patience is its own.
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            patience.CancelAfter(Max(deadline - DateTime.UtcNow, MinimumAttempt));
            try
            {
                await host.StartAsync(patience.Token);
                return new ClusterClient(host.Services, () => Hosts.StopAndDisposeAsync(host, TimeSpan.FromSeconds(5)), address);
            }
            catch (Exception caught) when ((IsConnectFailure(caught) || caught is OperationCanceledException) && !cancellationToken.IsCancellationRequested)
            {
                var e = caught switch
                {
                    OperationCanceledException => new TimeoutException("no gateway of the cluster answered"),
                    AggregateException { InnerExceptions: [var first, ..] } => first, // the Azure SDK's retries: the first says why
                    _ => caught,
                };
                host.Dispose();
                var where = $"cluster '{address.ClusterId}' at {address.Redis ?? address.Gateway?.ToString() ?? "azure storage " + Commands.Cluster.SiloStorage.AccountOf(address.AzureConnectionString!)}";
                if (DateTime.UtcNow + delay > deadline)
                {
                    await Console.Error.WriteLineAsync($"cannot reach {where} after {attempt} attempt{(attempt == 1 ? "" : "s")} over {ConnectPatience.TotalSeconds:F0} s: {FirstLine(e.Message)}{Hint(e, address)}");
                    return null;
                }

                await Console.Error.WriteLineAsync($"[sweeps] {where} not reachable yet ({FirstLine(e.Message)}); retrying in {delay.TotalSeconds:F0} s");
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaximumDelay.Ticks));
            }
        }
    }

    /// <summary>How long a client command keeps trying to connect (a failover's membership update takes tens of seconds).</summary>
    public static readonly TimeSpan ConnectPatience = TimeSpan.FromSeconds(45);

    private static readonly TimeSpan MaximumDelay = TimeSpan.FromSeconds(8);

    private static readonly TimeSpan MinimumAttempt = TimeSpan.FromSeconds(5);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static bool IsConnectFailure(Exception e) =>
        e is Orleans.Runtime.Messaging.ConnectionFailedException or SiloUnavailableException or OrleansException or StackExchange.Redis.RedisException or TimeoutException
            or Azure.RequestFailedException
        || e is AggregateException { InnerExceptions: var inner } && inner.All(IsConnectFailure); // the Azure SDK's retries, each failed

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    /// <summary>No gateway at all in a reachable Redis is most often a cluster id that no silo uses.</summary>
    private static string Hint(Exception e, ClusterAddress address) =>
        (address.Redis is not null || address.AzureConnectionString is not null) && (e is TimeoutException || e.Message.Contains("Could not find any gateway", StringComparison.Ordinal))
            ? $" (no silo of cluster '{address.ClusterId}' is up: is --cluster-id the one the silos were started with?)"
            : "";

    private static IHost Build(ClusterAddress address)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A failed start is reported above in one line; the host would log it again with a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        // While no gateway is listed it warns once a second; the retry loop above says it once.
        builder.Logging.AddFilter("Orleans.Messaging.GatewayManager", LogLevel.Error);
        // An unreachable storage account is logged by Orleans' Azure membership reader with every retry's
        // stack trace; the command says it once, in the line above.
        builder.Logging.AddFilter("Orleans.Clustering.AzureStorage", LogLevel.None);
        builder.Logging.AddFilter("Orleans.AzureUtils", LogLevel.None);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (address.ClusterId, address.ServiceId));
            if (address.Redis is { } redis)
            {
                client.UseRedisClustering(options => options.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(redis));
            }
            else if (address.AzureConnectionString is { } azure)
            {
                client.UseAzureStorageClustering(options => options.TableServiceClient = new Azure.Data.Tables.TableServiceClient(azure));
            }
            else
            {
                client.UseStaticClustering(address.Gateway!);
            }

            client.Services.AddSweepsSerialization();
        });
        return builder.Build();
    }

    public ValueTask DisposeAsync() => _dispose();
}

/// <summary>Where a client finds the cluster: a Redis address, a silo's gateway endpoint, or a data directory opened in-process.</summary>
internal sealed record ClusterAddress(string? Redis, IPEndPoint? Gateway, string ClusterId, string? DataDirectory = null)
{
    /// <summary>For a data directory: open it without resuming its interrupted sweeps (the command only reads).</summary>
    public bool ReadsOnly { get; init; }

    /// <summary>The service the cluster is a deployment of (Orleans' ServiceId; membership and grain state are kept under it).</summary>
    public string ServiceId { get; init; } = SiloHost.DefaultServiceId;

    /// <summary>For a cluster on Azure Storage: the account its membership table is in (a secret: never printed).</summary>
    public string? AzureConnectionString { get; init; }

    /// <summary>For messages: "cluster ID" or "data directory DIR".</summary>
    public override string ToString() => DataDirectory is { } directory ? $"data directory {directory}" : $"cluster {ClusterId}";
}
