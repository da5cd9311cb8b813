using System.Net;
using System.Net.Sockets;

namespace Sweeps.Tests;

/// <summary>Waits for a process a test started (Redis, Azurite, a silo) to listen on its loopback port.</summary>
internal static class LoopbackListener
{
    /// <summary>True once something accepts a connection on <paramref name="port"/>; false after <paramref name="patience"/>.</summary>
    public static async Task<bool> WaitAsync(int port, TimeSpan patience)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException) when (clock.Elapsed < patience)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                return false;
            }
        }
    }
}
