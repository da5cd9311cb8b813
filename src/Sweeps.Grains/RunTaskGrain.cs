using Microsoft.Extensions.Logging;
using Sweeps.Contracts;
using Sweeps.Grains.Storage;

namespace Sweeps.Grains;

/// <summary>
/// Executes a task of consecutive runs (a sweep's <c>runs_per_task</c>) in one slot of the
/// <see cref="ComputePool"/>, writes all their results in one state write, then reports them in
/// one call: the per-run activation, storage write and messages of <see cref="RunGrain"/> paid once
/// per task. Same guarantees: a result is stored before it is reported, a run with a stored result
/// is not run again, a write that fails is tried again on the next dispatch, a cancelled task
/// records nothing.
/// </summary>
[Orleans.Placement.RandomPlacement]
[CollectionAgeLimit(Minutes = IdleMinutes)]
public sealed class RunTaskGrain(
    [PersistentState("task", StorageNames.Sweeps)] IPersistentState<RunTaskGrainState> state,
    RunSimulation simulation,
    ComputePool pool,
    ILogger<RunTaskGrain> logger) : Grain, IRunTaskGrain
{
    /// <summary>How long an activation read for its results stays once idle.</summary>
    public const double IdleMinutes = 2;

    private Task? _execution;
    private Task? _report;
    private CancellationTokenSource? _cancel;
    private bool _unsaved;

    public Task Start(RunTaskAssignment assignment)
    {
        var stored = assignment.Runs.All(r => state.State.Results.ContainsKey(r.Index));
        if (stored && !_unsaved)
        {
            // Not awaited: the sweep may be waiting on this very call, and it is not reentrant.
            if (_report is null or { IsCompleted: true })
            {
                _report = ReportAsync(assignment, fromStorage: true);
            }
        }
        else if (_execution is null or { IsCompleted: true })
        {
            _execution = ExecuteAsync(assignment);
        }

        return Task.CompletedTask;
    }

    /// <remarks>A single run read (the dashboard's) leaves the activation to idle collection, after <see cref="IdleMinutes"/> minutes.</remarks>
    public Task<RunResult?> GetResult(long index) => Task.FromResult(state.State.Results.GetValueOrDefault(index));

    public Task<IReadOnlyList<RunResult?>> GetResults(IReadOnlyList<long> indices)
    {
        if (_execution is null or { IsCompleted: true } && _report is null or { IsCompleted: true })
        {
            LetGo(); // read whole by a reader of the sweep (fits, export): not needed in memory afterwards
        }

        return Task.FromResult<IReadOnlyList<RunResult?>>([.. indices.Select(index => state.State.Results.GetValueOrDefault(index))]);
    }

    public Task Cancel()
    {
        _cancel?.Cancel();
        return Task.CompletedTask;
    }

    private async Task ExecuteAsync(RunTaskAssignment assignment)
    {
        var parent = SweepsTracing.RequestedParent(); // read before the first await: it belongs to the Start call
        if (!_unsaved)
        {
            // A cancellation source of its own for this execution, which Cancel() reaches while it runs.
            using var cancel = new CancellationTokenSource();
            _cancel = cancel;
            var missing = assignment.Runs.Where(r => !state.State.Results.ContainsKey(r.Index)).ToList();
            try
            {
                var results = await pool.RunAsync(ct => missing.Select(run => simulation.Simulate(assignment.SweepId, run, assignment.Simulator, assignment.CurvePoints, ct, parent)).ToList(),
                    owner: assignment.SweepId, cancel.Token);
                foreach (var result in results)
                {
                    state.State.Results[result.Index] = result;
                }
            }
            catch (OperationCanceledException)
            {
                return; // nothing recorded; a resumed sweep dispatches the task again
            }
            finally
            {
                _cancel = null;
            }

            _unsaved = true;
        }

        try
        {
            await state.WriteOwnedStateAsync();
            _unsaved = false;
        }
        catch (Exception e)
        {
            logger.TaskStoreFailed(e, assignment.SweepId);
            return;
        }

        _report = ReportAsync(assignment, fromStorage: false);
        await _report;
    }

    private async Task ReportAsync(RunTaskAssignment assignment, bool fromStorage)
    {
        // The sweep keeps no curves; fits and exports read them here.
        var results = assignment.Runs.Select(r => state.State.Results[r.Index] with { Curve = null, FromStorage = fromStorage }).ToList();
        // Should every attempt fail, the results are in storage: the sweep's next dispatch of this task reports them.
        var sweep = GrainFactory.GetGrain<ISweepReportGrain>(assignment.SweepId);
        if (await SweepReports.SendAsync(() => sweep.ReportResults(results), logger, "a task", assignment.SweepId))
        {
            LetGo();
        }
    }

    /// <summary>Asks to be deactivated once idle; a background report may finish after the activation already went.</summary>
    private void LetGo()
    {
        try
        {
            DeactivateOnIdle();
        }
        catch (InvalidOperationException)
        {
            // already deactivated
        }
    }
}
