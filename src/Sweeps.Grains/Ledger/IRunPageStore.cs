using Sweeps.Contracts;

namespace Sweeps.Grains.Ledger;

/// <summary>Where a <see cref="RunLedger"/> keeps its pages. Writes are optimistic: a stale ETag fails.</summary>
public interface IRunPageStore
{
    /// <summary>The page's records (empty when it was never written) and its ETag (null then).</summary>
    Task<(IReadOnlyList<RunRecord> Records, string? ETag)> ReadAsync(int page);

    /// <summary>Replaces the page's records; returns the new ETag.</summary>
    Task<string?> WriteAsync(int page, IReadOnlyList<RunRecord> records, string? eTag);
}
