using Sweeps.Contracts;
using Sweeps.Grains.Ledger;

namespace Sweeps.Grains.Tests;

/// <summary>Pages in a dictionary, counting reads and writes, with ETags checked as a real store does.</summary>
internal sealed class MemoryPageStore : IRunPageStore
{
    private readonly Dictionary<int, (List<RunRecord> Records, string ETag)> _pages = [];

    public int Reads { get; private set; }

    public int Writes { get; private set; }

    public int StoredRecords => _pages.Values.Sum(p => p.Records.Count);

    /// <summary>The next write lands but throws, as one whose reply a restarting Redis never sent.</summary>
    public bool LoseNextReply { get; set; }

    public Task<(IReadOnlyList<RunRecord> Records, string? ETag)> ReadAsync(int page)
    {
        Reads++;
        return Task.FromResult(_pages.TryGetValue(page, out var stored)
            ? ((IReadOnlyList<RunRecord>)[.. stored.Records], (string?)stored.ETag)
            : ([], null));
    }

    /// <summary>Every write throws and lands nothing, as while Redis is down.</summary>
    public bool Unreachable { get; set; }

    public Task<string?> WriteAsync(int page, IReadOnlyList<RunRecord> records, string? eTag)
    {
        if (Unreachable)
        {
            throw new TimeoutException("storage unreachable");
        }

        var current = _pages.TryGetValue(page, out var stored) ? stored.ETag : null;
        if (current != eTag)
        {
            throw new Orleans.Storage.InconsistentStateException($"page {page}: stale ETag", current, eTag);
        }

        Writes++;
        var next = Guid.NewGuid().ToString("N");
        _pages[page] = ([.. records], next);
        if (LoseNextReply)
        {
            LoseNextReply = false;
            throw new TimeoutException("the write landed; its reply was lost");
        }

        return Task.FromResult<string?>(next);
    }
}
