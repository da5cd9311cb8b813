using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sweeps.Contracts;
using Sweeps.Core.Schedules;
using Sweeps.Grains.Storage;
using Sweeps.Kernels;
using Sweeps.Laws.Adaptive;

namespace Sweeps.Grains;

/// <summary>
/// Executes one run. <see cref="Start"/> returns at once: the kernel runs on the
/// <see cref="ComputePool"/>, the result is written to storage first and reported to the sweep
/// after, so a crash between the two loses nothing (the next Start reports the stored result).
/// Once its result is reported the grain deactivates: a sweep of a million runs must not keep a
/// million activations (and their curves) in memory until idle collection gets to them; a later
/// call reads the result back from storage. Placed at random: each run is one kernel of work, so a
/// uniform spread balances the silos without load statistics that lag a fast sweep.
/// </summary>
[Orleans.Placement.RandomPlacement]
public sealed class RunGrain(
    [PersistentState("run", StorageNames.Sweeps)] IPersistentState<RunGrainState> state,
    RunSimulation simulation,
    CommandRuns commands,
    ComputePool pool,
    SweepsMetrics metrics,
    ILogger<RunGrain> logger) : Grain, IRunGrain
{
    private Task? _execution;
    private LiveCurve? _live;
    private CancellationTokenSource? _cancel;
    private RunAssignment? _restartAfterCancel;

    /// <summary>A result whose write to storage failed (storage unreachable); the next dispatch writes it again.</summary>
    private bool _unsaved;
    private Task? _saving;
    private Task? _report;

    public Task Start(RunAssignment assignment)
    {
        if (state.State.Result is { } stored)
        {
            // Not awaited: the sweep may be waiting on this very call, and it is not reentrant.
            if (!_unsaved)
            {
                // A report already under way (the sweep is busy) is not doubled.
                if (_report is null or { IsCompleted: true })
                {
                    _report = ReportAsync(stored with { FromStorage = true });
                }
            }
            else if (_saving is null or { IsCompleted: true })
            {
                _saving = SaveAndReportAsync(stored);
            }
        }
        else if (_execution is null)
        {
            _execution = ExecuteAsync(assignment);
        }
        else if (_cancel?.IsCancellationRequested == true)
        {
            // Dispatched again (a resumed sweep) while the cancelled kernel is still winding down.
            _restartAfterCancel = assignment;
        }

        return Task.CompletedTask;
    }

    public async Task Ingest(RunResult result)
    {
        if (state.State.Result is null)
        {
            state.State.Result = result;
            try
            {
                await state.WriteOwnedStateAsync();
            }
            catch
            {
                state.State.Result = null; // not stored: the caller's retry stores it
                throw;
            }
        }

        // Reported in the background, as Start does: the sweep reads this grain's curve when the last
        // result completes it, and this call would be holding the grain.
        if (!_unsaved && _report is null or { IsCompleted: true })
        {
            _report = ReportAsync(state.State.Result);
        }
    }

    public Task<RunResult?> GetResult()
    {
        if (_execution is null)
        {
            LetGo(); // read for its curve (fits, export): not needed in memory afterwards
        }

        return Task.FromResult(state.State.Result);
    }

    public Task<LiveRun?> GetLive(int maxPoints)
    {
        if (_execution is null)
        {
            LetGo(); // asked after the run finished (or of a run never started here): nothing to keep
        }

        return Task.FromResult(_live?.Snapshot(maxPoints));
    }

    public Task Cancel()
    {
        _cancel?.Cancel();
        return Task.CompletedTask;
    }

    /// <summary>Runs the kernel or command with a cancellation source of its own, which <see cref="Cancel"/> reaches while it runs.</summary>
    private async Task ExecuteAsync(RunAssignment assignment)
    {
        using var cancel = new CancellationTokenSource();
        _cancel = cancel;
        try
        {
            await ExecuteAsync(assignment, cancel);
        }
        finally
        {
            if (ReferenceEquals(_cancel, cancel))
            {
                _cancel = null; // not if a restart after a cancel already holds a new one
            }
        }
    }

    private async Task ExecuteAsync(RunAssignment assignment, CancellationTokenSource cancel)
    {
        var parent = SweepsTracing.RequestedParent(); // read before the first await: it belongs to the Start call
        if (assignment.ReuseFrom is { } source && await ReusedAsync(assignment, source) is { } reused)
        {
            await KeepAsync(reused);
            return;
        }

        var live = _live = new LiveCurve(assignment.Run.Index, assignment.Run.TotalSteps, hasLog: assignment.Command is not null);
        var judging = assignment.Stopping is { } stopping
            ? new RunJudging(assignment.Run, IStoppingRule.Create(stopping), GrainFactory.GetGrain<IRunJudgeGrain>(assignment.SweepId), live, cancel, logger, assignment.SweepId)
            : null;
        ICurveObserver observer = judging is null ? live : judging;
        var clock = Stopwatch.StartNew();
        RunResult result;
        try
        {
            result = assignment.Command is { } command
                // A process: waits on its slot, not on a worker. Off the grain's scheduler, so that a judgement
                // awaited where its output is read (RunJudging) never holds this activation.
                ? await Task.Run(() => commands.RunAsync(assignment, command, live, parent, cancel.Token, observer))
                : await pool.RunAsync(ct => simulation.Simulate(assignment.SweepId, assignment.Run, assignment.Simulator, assignment.CurvePoints, ct, parent, observer),
                    owner: assignment.SweepId, cancel.Token);
        }
        catch (OperationCanceledException) when (judging?.Stop is { } stop)
        {
            result = Stopped(assignment, live, stop, judging.Predictions, clock.Elapsed.TotalSeconds);
            metrics.RunFinished(result);
        }
        catch (OperationCanceledException)
        {
            // Cancelled: nothing recorded; a resumed sweep dispatches this run again.
            _execution = null;
            _live = null;
            if (_restartAfterCancel is { } again)
            {
                _restartAfterCancel = null;
                _execution = ExecuteAsync(again);
            }

            return;
        }

        if (judging is { Predictions.Count: > 0 } && result.Predictions is null)
        {
            result = result with { Predictions = [.. judging.Predictions] };
        }

        _live = null; // finished: its curve is the result's now
        await KeepAsync(result);
    }

    private async Task KeepAsync(RunResult result)
    {
        state.State.Result = result;
        _unsaved = true;
        _saving = SaveAndReportAsync(result);
        await _saving;
    }

    /// <summary>
    /// The result of the identical run of another sweep (<see cref="RunAssignment.ReuseFrom"/>) as this run's,
    /// when it succeeded or diverged; null (the run is executed here) when it did not or could not be read.
    /// </summary>
    private async Task<RunResult?> ReusedAsync(RunAssignment assignment, string source)
    {
        try
        {
            var found = await GrainFactory.GetGrain<IRunGrain>(source).GetResult();
            return found is { Status: RunStatus.Succeeded or RunStatus.Diverged }
                ? found with { SweepId = assignment.SweepId, Index = assignment.Run.Index, FromStorage = false, Stop = null, Predictions = null, ReusedFrom = source }
                : null;
        }
        catch (Exception e)
        {
            logger.ReuseFailed(e, source, assignment.Run.Index, assignment.SweepId);
            return null;
        }
    }

    /// <summary>A run stopped by the sweep's rule: its curve so far, the step it reached, and the rule's figures.</summary>
    private static RunResult Stopped(RunAssignment assignment, LiveCurve live, StopJudgement stop, IReadOnlyList<FinalLossPrediction> predictions, double seconds)
    {
        // A kernel's points are its curve's already (CurveSteps); a command's output is thinned as its finished curve would be.
        var reached = live.Snapshot(assignment.Command is null ? int.MaxValue : assignment.CurvePoints);
        var step = reached.Step;
        return new RunResult(assignment.SweepId, assignment.Run.Index, RunStatus.Stopped, double.NaN, reached.Curve, null, seconds,
            SimulatedSteps: step, TotalSteps: step)
        {
            LogTail = reached.LogTail,
            Stop = new RunStop(step, stop.Rule, stop.Reason, stop.Prediction?.Predicted ?? double.NaN, stop.LowEnd),
            Predictions = [.. predictions],
        };
    }

    /// <summary>
    /// Stores the result, then reports it. While storage is unreachable (a Redis restart) the result
    /// stays in memory, unreported: the sweep dispatches the run again every few seconds, and each
    /// dispatch tries the write again, so the result is reported only once it is durable.
    /// </summary>
    private async Task SaveAndReportAsync(RunResult result)
    {
        try
        {
            await state.WriteOwnedStateAsync();
            _unsaved = false;
        }
        catch (Exception e)
        {
            logger.RunStoreFailed(e, result.Index, result.SweepId);
            return;
        }

        _report = ReportAsync(result);
        await _report;
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

    private async Task ReportAsync(RunResult result)
    {
        // The sweep keeps no curves; fits and exports read them here. Should every attempt fail, the
        // result is in storage and the sweep's next dispatch of this run reports it.
        var sweep = GrainFactory.GetGrain<ISweepReportGrain>(result.SweepId);
        if (await SweepReports.SendAsync(() => sweep.ReportResult(result with { Curve = null }), logger, $"run {result.Index}", result.SweepId))
        {
            LetGo();
        }
    }
}
