using System.Collections.Concurrent;
using Orleans.Storage;

namespace Sweeps.Grains.Tests;

/// <summary>
/// Grain storage whose chosen writes land and then throw, as a write does whose reply a restarting
/// Redis never sent: the state is stored under a new ETag, the caller keeps the old one. The first
/// write of each state that <paramref name="losesFirstReply"/> picks is treated so.
/// </summary>
public sealed class LostReplyGrainStorage(IGrainStorage inner, Func<string, GrainId, bool> losesFirstReply) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string, GrainId), bool> _written = new();
    private int _lostReplies;

    public int LostReplies => _lostReplies;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var (eTag, exists) = (grainState.ETag, grainState.RecordExists);
        await inner.WriteStateAsync(stateName, grainId, grainState);
        if (_written.TryAdd((stateName, grainId), true) && losesFirstReply(stateName, grainId))
        {
            (grainState.ETag, grainState.RecordExists) = (eTag, exists);
            Interlocked.Increment(ref _lostReplies);
            throw new TimeoutException($"the write of {stateName} of {grainId} landed; its reply was lost");
        }
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);
}
