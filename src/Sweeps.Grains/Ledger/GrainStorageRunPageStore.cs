using Orleans.Storage;
using Sweeps.Contracts;

namespace Sweeps.Grains.Ledger;

/// <summary>
/// Pages kept in the silo's grain storage beside the sweep's own state, one entry per page
/// (state name <c>runs-PAGE</c> under the sweep grain's id), so Redis or SQLite hold them as they
/// hold every other grain state.
/// </summary>
public sealed class GrainStorageRunPageStore(IGrainStorage storage, GrainId sweep) : IRunPageStore
{
    public async Task<(IReadOnlyList<RunRecord> Records, string? ETag)> ReadAsync(int page)
    {
        var state = new GrainState<RunPageState>(new RunPageState());
        await storage.ReadStateAsync(StateName(page), sweep, state);
        return (state.RecordExists && state.State is { } stored ? stored.Records : [], state.RecordExists ? state.ETag : null);
    }

    public async Task<string?> WriteAsync(int page, IReadOnlyList<RunRecord> records, string? eTag)
    {
        var state = new GrainState<RunPageState>(new RunPageState { Records = [.. records] }) { ETag = eTag, RecordExists = eTag is not null };
        await storage.WriteStateAsync(StateName(page), sweep, state);
        return state.ETag;
    }

    private static string StateName(int page) => $"runs-{page}";
}
