using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Sweeps.Tests;

/// <summary>A <c>redis-server</c> of a test's own on a free loopback port, in memory, killed when disposed.</summary>
internal sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, int port) => (_process, Port) = (process, port);

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string that reaches it.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var port = FreePort();
        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo("redis-server", ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("these tests need redis-server on PATH (.ci/run installs it: apt-get install redis-server)", e);
        }

        var server = new RedisServer(process, port);
        if (await LoopbackListener.WaitAsync(port, TimeSpan.FromSeconds(5)))
        {
            return server;
        }

        server.Dispose();
        throw new InvalidOperationException($"redis-server did not listen on port {port} within 5 s");
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
    }

    /// <summary>A loopback port nothing listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
