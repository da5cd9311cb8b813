using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Sweeps.Cli.Output;
using Sweeps.Silo.Http;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Cluster;

/// <summary>
/// What a <c>--cluster HOST:PORT</c> points at: the cluster's Redis, or a silo's HTTP port (which
/// says where its cluster is: its Redis, or for a lone silo its gateway). Told apart by sending
/// Redis' <c>PING</c>: Redis answers in RESP, an HTTP server with a status line.
/// </summary>
internal static class ClusterEndpoint
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The address to connect to, or null after writing why to stderr.</summary>
    public static async Task<ClusterAddress?> ResolveAsync(ClusterAddress address, CancellationToken cancellationToken)
    {
        if (address.Redis is not { } endpoint)
        {
            return address;
        }

        var colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint[(colon + 1)..], out var port))
        {
            return address; // a StackExchange.Redis configuration string: Redis, as it says
        }

        string reply;
        try
        {
            reply = await FirstReplyAsync(endpoint[..colon], port, cancellationToken);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"--cluster {endpoint}: nothing answers there ({e.Message}); is the Redis or the silo running?");
            return null;
        }

        if (!reply.StartsWith("HTTP/", StringComparison.Ordinal))
        {
            return address;
        }

        try
        {
            using var http = new HttpClient { Timeout = ProbeTimeout };
            if (BearerToken.FromEnvironment() is { } token)
            {
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }

            var info = await http.GetFromJsonAsync<ClusterInfo>($"http://{endpoint}/api/cluster", ConsoleJson.Options, cancellationToken)
                ?? throw new JsonException("empty answer");
            var found = info.Redis is { } redis
                ? new ClusterAddress(redis, null, info.ClusterId)
                : new ClusterAddress(null, System.Net.IPEndPoint.Parse(info.Gateway), info.ClusterId);
            return found with { ServiceId = info.ServiceId };
        }
        catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            await Console.Error.WriteLineAsync($"--cluster {endpoint}: the silo requires a bearer token; set {BearerToken.Variable}");
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or FormatException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"--cluster {endpoint}: an HTTP server that is not a Sweeps silo ({e.Message})");
            return null;
        }
    }

    private static async Task<string> FirstReplyAsync(string host, int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
