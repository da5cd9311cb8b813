using System.Diagnostics;

namespace Sweeps.Tests;

/// <summary>
/// An Azurite of a test's own (Azure Storage's emulator, npm package <c>azurite</c>): blob, queue and
/// table services on free loopback ports, in memory, killed when disposed.
/// </summary>
internal sealed class AzuriteServer : IDisposable
{
    // Azurite's one well-known development account: its key is public by design.
    private const string Account = "devstoreaccount1";
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;

    private AzuriteServer(Process process, int blob, int queue, int table) =>
        (_process, ConnectionString) = (process,
            $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={Key};BlobEndpoint=http://127.0.0.1:{blob}/{Account};QueueEndpoint=http://127.0.0.1:{queue}/{Account};TableEndpoint=http://127.0.0.1:{table}/{Account};");

    /// <summary>The connection string the Azure SDK (and <c>sweeps silo --storage azure</c>) takes.</summary>
    public string ConnectionString { get; }

    public static async Task<AzuriteServer> StartAsync()
    {
        var (blob, queue, table) = (RedisServer.FreePort(), RedisServer.FreePort(), RedisServer.FreePort());
        Process process;
        try
        {
            process = Process.Start(new ProcessStartInfo("azurite",
                // In memory (nothing written anywhere), any API version the Azure SDK sends, no access log.
                ["--silent", "--inMemoryPersistence", "--skipApiVersionCheck", "--loose",
                 "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(), "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(),
                 "--tableHost", "127.0.0.1", "--tablePort", table.ToString()])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            })!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("these tests need azurite on PATH (.ci/run installs it: npm install -g azurite@3.37.0)", e);
        }

        var server = new AzuriteServer(process, blob, queue, table);
        foreach (var port in new[] { blob, table })
        {
            if (!await LoopbackListener.WaitAsync(port, TimeSpan.FromSeconds(15)))
            {
                server.Dispose();
                throw new InvalidOperationException($"azurite did not listen on port {port} within 15 s");
            }
        }

        return server;
    }

    /// <summary>
    /// Freezes it (SIGSTOP) while <paramref name="whileFrozen"/> runs, then lets it go on (SIGCONT): a
    /// storage that stops answering (a hung or partitioned account) and comes back with all it held.
    /// Not a kill and restart: in memory it would come back empty, and on disk Azurite loses the last
    /// seconds of its tables to a kill and does not stop on SIGTERM while clients hold connections.
    /// </summary>
    public async Task FreezeAsync(Func<Task> whileFrozen)
    {
        await SignalAsync("STOP");
        try
        {
            await whileFrozen();
        }
        finally
        {
            await SignalAsync("CONT");
        }
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString()]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    public void Dispose()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5_000);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        _process.Dispose();
    }
}
