using Sweeps.Contracts;
using Sweeps.Laws;

namespace Sweeps.Grains;

/// <summary>Fits laws on the worker pool (a fit is arithmetic, not grain work) and keeps each version.</summary>
public sealed class LawFitGrain(
    [PersistentState("fits", StorageNames.Sweeps)] IPersistentState<LawFitGrainState> state,
    KernelWorkerPool pool) : Grain, ILawFitGrain
{
    public async Task<IReadOnlyList<FitReport>> Fit(IReadOnlyList<string> laws, IReadOnlyList<FinalLossPoint> points)
    {
        var reports = await pool.RunAsync(_ => SweepLaws.Fit(laws, points));
        state.State.Versions.Add(new FitVersion(state.State.Versions.Count + 1, DateTimeOffset.UtcNow, reports));
        await state.WriteStateAsync();
        return reports;
    }

    public Task<IReadOnlyList<FitReport>> GetLatest() =>
        Task.FromResult(state.State.Versions.Count == 0 ? [] : state.State.Versions[^1].Reports);
}
