using System.Net;
using System.Net.Sockets;

namespace Sweeps.Silo.Hosting;

/// <summary>
/// Loopback ports nobody listens on now, for a server about to start (an embedded silo, a test's
/// Redis). Drawn below Linux's ephemeral range (32768–60999): a port the kernel hands out for
/// "port 0" can be taken by any outgoing connection between this check and the server's bind (CI
/// once saw Kestrel refused so), while these are never handed out. Each is given once per process,
/// and drawn at random so that processes starting side by side rarely try the same one; a server
/// that still loses its port to one starts again on another (<c>EmbeddedSilo</c>).
/// </summary>
public static class LoopbackPorts
{
    private const int First = 20_000;
    private const int Last = 32_000;
    private static readonly HashSet<int> Given = [];

    public static int Next()
    {
        lock (Given)
        {
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var port = Random.Shared.Next(First, Last);
                if (!Given.Add(port))
                {
                    continue;
                }

                try
                {
                    using var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                    return port;
                }
                catch (SocketException)
                {
                    // in use: draw another
                }
            }
        }

        throw new InvalidOperationException($"no free loopback port in [{First}, {Last})");
    }
}
