using Sweeps.Contracts;
using Sweeps.Grains.Storage;

namespace Sweeps.Grains;

/// <summary>Keeps the list of the cluster's sweeps; an entry is a few dozen bytes, written once per sweep.</summary>
public sealed class SweepDirectoryGrain(
    [PersistentState("directory", StorageNames.Sweeps)] IPersistentState<SweepDirectoryState> state) : Grain, ISweepDirectoryGrain
{
    public async Task Register(SweepEntry entry)
    {
        if (state.State.Sweeps.Any(s => s.Id == entry.Id))
        {
            return;
        }

        state.State.Sweeps.Add(entry);
        try
        {
            await state.WriteOwnedStateAsync();
        }
        catch
        {
            state.State.Sweeps.Remove(entry); // so that the caller's retry writes it
            throw;
        }
    }

    public Task<IReadOnlyList<SweepEntry>> List() => Task.FromResult<IReadOnlyList<SweepEntry>>([.. state.State.Sweeps]);
}

[GenerateSerializer, Alias("sweeps.sweep-directory-state")]
public sealed class SweepDirectoryState
{
    [Id(0)] public List<SweepEntry> Sweeps { get; set; } = [];
}
