using System.Net;
using System.Net.Sockets;

namespace Sweeps.Tests;

/// <summary>Loopback ports nobody listens on now, for the servers a test starts.</summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
