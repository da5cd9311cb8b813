using Orleans.Storage;
using Sweeps.Contracts;
using Sweeps.Core.Curves;

namespace Sweeps.Grains.Tests;

/// <summary>
/// What the grains rely on from any grain storage, as one suite every provider runs (SQLite, Redis,
/// and the Azure providers when they land), the way Optuna tests each of its storages with one
/// suite: a state never written reads as absent; a written state comes back whole through a new
/// storage on the same store (a restart), large ones included; a write with a stale ETag, or with
/// none over a stored state, is refused and changes nothing (the ledger's and the run grains'
/// at-most-once writes depend on it); grains and state names are kept apart. Clearing is not in
/// the contract: no grain clears its state.
/// </summary>
public abstract class GrainStorageContract : IAsyncLifetime
{
    private readonly GrainId _grain = GrainId.Create("sweep", $"contract-{Guid.NewGuid():N}");

    /// <summary>A storage on this test's store; each call a new instance on the same store, as after a restart.</summary>
    protected abstract Task<IGrainStorage> OpenAsync();

    /// <summary>Lets go of a storage <see cref="OpenAsync"/> gave.</summary>
    protected abstract Task CloseAsync(IGrainStorage storage);

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static RunResult Result(long index, double loss, int points = 2) =>
        new("contract", index, RunStatus.Succeeded, loss,
            new Curve([.. Enumerable.Range(0, points).Select(i => i * 10)], [.. Enumerable.Repeat(0.1, points)], [.. Enumerable.Range(0, points).Select(i => loss + 1.0 / (i + 1))]),
            null, 0.01);

    [Fact]
    public async Task A_state_never_written_reads_as_absent()
    {
        var storage = await OpenAsync();
        var read = new GrainState<RunGrainState> { State = new RunGrainState() };

        await storage.ReadStateAsync("run", _grain, read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Null(read.State.Result);
        await CloseAsync(storage);
    }

    [Fact]
    public async Task A_written_state_comes_back_whole_through_a_new_storage_on_the_same_store()
    {
        // A task's results as the run-task grain stores them: 256 runs with 200-point curves (~1 MB).
        var written = new RunTaskGrainState { Results = Enumerable.Range(0, 256).ToDictionary(i => (long)i, i => Result(i, 2.0 + i / 1000.0, points: 200)) };
        var storage = await OpenAsync();
        var state = new GrainState<RunTaskGrainState> { State = written };
        await storage.WriteStateAsync("task", _grain, state);
        Assert.NotNull(state.ETag);
        Assert.True(state.RecordExists);
        await CloseAsync(storage);

        var reopened = await OpenAsync();
        var read = new GrainState<RunTaskGrainState> { State = new RunTaskGrainState() };
        await reopened.ReadStateAsync("task", _grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(state.ETag, read.ETag);
        Assert.Equal(256, read.State.Results.Count);
        foreach (var (index, result) in written.Results)
        {
            var back = read.State.Results[index];
            Assert.Equal(result.FinalLoss, back.FinalLoss);
            Assert.Equal(result.Curve!.Steps, back.Curve!.Steps);
            Assert.Equal(result.Curve.Loss, back.Curve.Loss);
        }

        await CloseAsync(reopened);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_or_none_over_a_stored_state_is_refused_and_changes_nothing()
    {
        var storage = await OpenAsync();
        var first = new GrainState<RunGrainState> { State = new RunGrainState { Result = Result(1, 1.0) } };
        await storage.WriteStateAsync("run", _grain, first);
        var second = new GrainState<RunGrainState> { State = new RunGrainState() };
        await storage.ReadStateAsync("run", _grain, second);
        second.State.Result = Result(1, 2.0);
        await storage.WriteStateAsync("run", _grain, second); // the stored ETag moves on

        first.State.Result = Result(1, 3.0);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("run", _grain, first));
        var fresh = new GrainState<RunGrainState> { State = new RunGrainState { Result = Result(1, 4.0) } };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("run", _grain, fresh));

        var read = new GrainState<RunGrainState> { State = new RunGrainState() };
        await storage.ReadStateAsync("run", _grain, read);
        Assert.Equal(2.0, read.State.Result!.FinalLoss);
        Assert.Equal(second.ETag, read.ETag);
        await CloseAsync(storage);
    }

    [Fact]
    public async Task States_of_different_grains_and_names_are_kept_apart()
    {
        var storage = await OpenAsync();
        var other = GrainId.Create("sweep", $"contract-{Guid.NewGuid():N}");
        await storage.WriteStateAsync("run", _grain, new GrainState<RunGrainState> { State = new RunGrainState { Result = Result(1, 1.0) } });
        await storage.WriteStateAsync("run", other, new GrainState<RunGrainState> { State = new RunGrainState { Result = Result(2, 2.0) } });
        await storage.WriteStateAsync("other-name", _grain, new GrainState<RunGrainState> { State = new RunGrainState { Result = Result(3, 3.0) } });

        async Task<double> LossAsync(string name, GrainId grain)
        {
            var read = new GrainState<RunGrainState> { State = new RunGrainState() };
            await storage.ReadStateAsync(name, grain, read);
            return read.State.Result!.FinalLoss;
        }

        var losses = new List<double> { await LossAsync("run", _grain), await LossAsync("run", other), await LossAsync("other-name", _grain) };
        Assert.Equal([1.0, 2.0, 3.0], losses);
        await CloseAsync(storage);
    }
}
