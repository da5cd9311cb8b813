using Orleans.Storage;

namespace Sweeps.Grains.Storage;

/// <summary>
/// Writes of grain state that only the grain's own activation writes, safe against a lost reply.
/// A write can land in storage and its reply still be lost (Redis restarting between the two, a
/// dropped connection): the call throws, the activation keeps the old ETag, and every later write
/// is refused as stale, for ever. One activation per grain means the newer ETag is that
/// activation's own earlier write, so it is read back (for its ETag) and the state in memory is
/// written over it: nothing newer can be lost.
/// </summary>
public static class OwnedStateWrites
{
    public static async Task WriteOwnedStateAsync<T>(this IPersistentState<T> state)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            var current = state.State;
            await state.ReadStateAsync(); // replaces State: only its ETag is wanted
            state.State = current;
            await state.WriteStateAsync();
        }
    }
}
