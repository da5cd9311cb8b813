using Microsoft.Extensions.Hosting;

namespace Sweeps.Cli.Cluster;

/// <summary>Stopping the console's Orleans hosts (embedded silo, cluster client) the same way.</summary>
internal static class Hosts
{
    /// <summary>Stops <paramref name="host"/> within <paramref name="allowance"/>, then disposes it whether or not it stopped in time.</summary>
    public static async ValueTask StopAndDisposeAsync(IHost host, TimeSpan allowance)
    {
        using var timeout = new CancellationTokenSource(allowance);
        try
        {
            await host.StopAsync(timeout.Token);
        }
        finally
        {
            host.Dispose();
        }
    }
}
