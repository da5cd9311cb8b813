using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Sweeps.Cli.Embedded;
using Sweeps.Contracts;
using Sweeps.Silo.Hosting;
using Sweeps.Tests;

namespace Sweeps.Cli.Tests;

[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public class EmbeddedSiloTests
{
    /// <summary>
    /// The race a port check cannot close: another process binds the port between the check and the
    /// silo's bind. Here the first port handed out is held by a listener all along; the silo must
    /// come up on the next one and serve grain calls.
    /// </summary>
    [Fact]
    public async Task A_silo_whose_port_is_taken_starts_on_another()
    {
        using var directory = new ScratchDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, LoopbackPorts.Next());
        taken.Start();
        var handedOut = new List<int>();
        int NextPort()
        {
            var port = handedOut.Count == 0 ? ((IPEndPoint)taken.LocalEndpoint).Port : LoopbackPorts.Next();
            handedOut.Add(port);
            return port;
        }

        await using var silo = await EmbeddedSilo.StartAsync(directory.Path, LogLevel.Critical, CancellationToken.None, NextPort);

        Assert.Equal(2, handedOut.Count);
        var sweeps = await silo.Grains.GetGrain<ISweepDirectoryGrain>(ISweepDirectoryGrain.Key).List();
        Assert.Empty(sweeps);
    }

    [Fact]
    public async Task A_silo_that_cannot_get_a_port_says_why()
    {
        using var directory = new ScratchDirectory();
        using var taken = new TcpListener(IPAddress.Loopback, LoopbackPorts.Next());
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var attempts = 0;
        int TheTakenPort()
        {
            attempts++;
            return port;
        }

        var error = await Assert.ThrowsAsync<IOException>(() => EmbeddedSilo.StartAsync(directory.Path, LogLevel.Critical, CancellationToken.None, TheTakenPort));

        Assert.Equal(3, attempts);
        Assert.Contains("taken", error.Message);
        Assert.Contains($"ports {port}, {port}, {port}", error.Message);
    }
}
