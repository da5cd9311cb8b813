using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;
using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Core.Specs;
using Sweeps.Grains.Dispatch;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Ledger;
using Sweeps.Grains.Storage;
using Sweeps.Laws;
using Sweeps.Laws.Adaptive;

namespace Sweeps.Grains;

/// <summary>
/// Coordinates one sweep. Runs are dispatched in grid order with at most <c>concurrency</c> in
/// flight; each result is recorded once by grid index in the sweep's paged <see cref="RunLedger"/>
/// (a second delivery is counted as a duplicate and dropped). Progress is written to storage at
/// most once a second and at the end; a crash in between costs nothing, because run grains keep
/// their own results and report them again when the resumed sweep dispatches them. Memory does not
/// grow with the grid: the grid is computed run by run, and the ledger keeps only the pages in use.
/// </summary>
public sealed class SweepGrain(
    [PersistentState(StorageNames.SweepState, StorageNames.Sweeps)] IPersistentState<SweepGrainState> state,
    [FromKeyedServices(StorageNames.Sweeps)] IGrainStorage storage,
    SweepsMetrics metrics,
    SweepActivation activation,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain, ISweepReportGrain, IRemindable
{
    private static readonly TimeSpan FlushPeriod = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often the in-flight runs are dispatched again. A run grain that is executing ignores it;
    /// one whose silo died is activated elsewhere and runs again (at-least-once execution; its
    /// result is still recorded once, by grid index).
    /// </summary>
    private static readonly TimeSpan RedispatchPeriod = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A durable reminder wakes a running sweep whose silo died (its activation resumes from the
    /// stored state) even when no client is asking about it.
    /// </summary>
    private const string RedriveReminder = "redrive";
    private static readonly TimeSpan RedrivePeriod = TimeSpan.FromMinutes(1);

    /// <summary>Most records one <see cref="GetRuns"/> call returns.</summary>
    public const int MaxRunsPerCall = RunLedger.DefaultPageSize;

    private readonly RecentRunFeed _feed = new(); // what live views read: runs as they finish
    private SweepGrid? _grid;
    private RunLedger? _ledger;
    private DispatchWindow? _window;
    private WorkUnits? _units;
    private bool _dirty;
    private IGrainTimer? _flushTimer;
    private IGrainTimer? _redispatchTimer;
    private System.Diagnostics.Activity? _span; // this activation's part of the sweep's trace

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Spec is null)
        {
            return;
        }

        await Ledger.LoadAsync();
        if (state.State.State is SweepState.Running or SweepState.Fitting && !activation.Resume)
        {
            logger.SweepInterrupted(Id, Ledger.Finished, Grid.Count);
            return;
        }

        if (state.State.State is SweepState.Running or SweepState.Fitting) // a cancelled sweep waits to be started again
        {
            // Every run recorded before this activation was executed by an earlier one.
            state.State.ResumedRuns = Ledger.Finished;
            logger.SweepResumed(Id, Ledger.Finished, Grid.Count);
            await ResumeAsync();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.SweepStopped(Id);
        SweepsTracing.EndSweep(_span, "deactivated", _ledger?.Finished ?? 0);
        _span = null;
        await FlushAsync();
    }

    public async Task<SweepStatus> Start(SweepSpec spec)
    {
        if (state.State.Spec is null)
        {
            state.State = new SweepGrainState { Spec = spec, State = SweepState.Running, StartedAt = DateTimeOffset.UtcNow };
            try
            {
                await state.WriteOwnedStateAsync();
                await GrainFactory.GetGrain<ISweepDirectoryGrain>(ISweepDirectoryGrain.Key).Register(new SweepEntry(Id, spec.Name, Grid.Count, state.State.StartedAt));
            }
            catch
            {
                // Not started: the caller's retry must do all of it again, not find a spec and return.
                state.State = new SweepGrainState();
                (_grid, _ledger, _window, _units) = (null, null, null, null);
                throw;
            }

            logger.SweepStarted(Id, spec.Name, Grid.Count, spec.Simulator);
            await ResumeAsync();
        }
        else if (!SameSpec(state.State.Spec, spec))
        {
            throw new ArgumentException($"sweep {Id} already exists with a different spec");
        }
        else if (state.State.State == SweepState.Cancelled)
        {
            // Submitted again after a cancel: carry on from the finished runs, from the start of the grid.
            Window.Rewind();
            state.State.State = SweepState.Running;
            state.State.CompletedAt = null;
            await state.WriteOwnedStateAsync();
            await ResumeAsync();
        }

        return Status();
    }

    public async Task<SweepStatus> Cancel()
    {
        if (state.State.Spec is null || state.State.State is SweepState.Completed or SweepState.Cancelled)
        {
            return Status();
        }

        state.State.State = SweepState.Cancelled;
        state.State.CompletedAt = DateTimeOffset.UtcNow;
        SweepsTracing.EndSweep(_span, "cancelled", Ledger.Finished);
        _span = null;
        logger.SweepCancelled(Id, Ledger.Finished, Grid.Count);
        await state.WriteOwnedStateAsync();
        var running = Window.Clear();
        await StopRedrivingAsync();
        await Task.WhenAll(running.Select(Units.CancelAsync));
        return Status();
    }

    public Task<SweepStatus> GetStatus() => Task.FromResult(Status());

    public Task<SweepSpec?> GetSpec() => Task.FromResult(state.State.ExpandedSpec);

    public Task<IReadOnlyList<RunRecord>> GetRuns(long fromIndex, int maxCount) =>
        state.State.Spec is null ? Task.FromResult<IReadOnlyList<RunRecord>>([]) : Ledger.ReadAsync(fromIndex, Math.Clamp(maxCount, 0, MaxRunsPerCall));

    public Task<RunFeedPage> GetRecentRuns(Guid epoch, long afterSequence) => Task.FromResult(_feed.Read(epoch, afterSequence));

    public Task<IReadOnlyList<long>> GetRunningRuns(int max) =>
        Task.FromResult<IReadOnlyList<long>>(Units.AreSingleRuns ? Window.InFlight.Take(Math.Clamp(max, 0, 1024)).ToList() : []);

    public Task ReportResult(RunResult result) => ReportResults([result]);

    public async Task ReportResults(IReadOnlyList<RunResult> results)
    {
        if (state.State.Spec is null)
        {
            logger.ResultsWithoutSpec(Id, results.Count);
            return;
        }

        var recorded = false;
        foreach (var result in results)
        {
            recorded |= await RecordAsync(result);
        }

        if (results.Count > 0 && results[0].Index >= 0 && results[0].Index < Grid.Count)
        {
            Window.Reported(results[0].Index); // a task reports its runs together, duplicates included
        }

        if (!recorded)
        {
            return;
        }

        if (state.State.State == SweepState.Cancelled)
        {
            return; // a run that finished before it heard of the cancel: recorded, nothing more dispatched
        }

        if (Ledger.IsComplete)
        {
            await CompleteAsync();
        }
        else
        {
            await PumpAsync();
        }
    }

    /// <summary>Records one result by grid index; false when it was already recorded (a duplicate) or is not of this grid.</summary>
    private async ValueTask<bool> RecordAsync(RunResult result)
    {
        if (result.Index < 0 || result.Index >= Grid.Count)
        {
            logger.ResultOutsideGrid(Id, result.Index);
            return false;
        }

        _dirty = true;
        var record = new RunRecord(result.Index, result.Status, result.FinalLoss, result.TotalSteps, result.SimulatedSteps, result.Stop?.PredictedFinal is { } predicted && double.IsFinite(predicted) ? predicted : null);
        if (!await Ledger.TryRecordAsync(record))
        {
            state.State.DuplicateResults++;
            return false;
        }

        _feed.Append(record);
        if (result.FromStorage)
        {
            state.State.ResumedRuns++;
        }

        if (result.ReusedFrom is not null)
        {
            state.State.ReusedRuns++;
        }

        return true;
    }

    private SweepGrid Grid => _grid ??= new SweepGrid(state.State.ExpandedSpec!);

    private int TaskSize => state.State.Spec!.TaskSize;

    private RunLedger Ledger => _ledger ??= new RunLedger(Grid.Count, new GrainStorageRunPageStore(storage, this.GetGrainId()));

    /// <summary>
    /// Adds peak LRs where an optimum is not resolved (<c>adaptive.refine</c>), once every run has finished:
    /// true when runs were added, and the sweep goes on with them; false when every optimum is resolved or the
    /// budget is spent, and the sweep is fitted.
    /// </summary>
    private async Task<bool> RefineAsync()
    {
        if (state.State.Spec!.Adaptive?.Refine is not { } refine || state.State.State != SweepState.Running)
        {
            return false;
        }

        var budget = (refine.MaxAddedRuns ?? Grid.GridCount) - state.State.AddedRuns.Count;
        var (points, predicted) = await OptimumInputsAsync();
        var added = new List<RunDefinition>();
        var cells = new List<string>();
        var wanted = GridRefinement.Next(points, predicted, refine.Until);
        foreach (var addition in wanted)
        {
            var column = Grid.Column(addition.ModelSize, addition.TotalSteps, addition.PeakLr).ToList();
            if (added.Count + column.Count > budget)
            {
                continue; // a whole column or none: its other axes are what makes the point comparable
            }

            added.AddRange(column);
            cells.Add(FormattableString.Invariant($"N {addition.ModelSize:G4}, T {addition.TotalSteps}: peak LR {addition.PeakLr:G4} ({addition.Reason})"));
        }

        if (added.Count == 0)
        {
            if (wanted.Count > 0)
            {
                logger.RefineBudgetSpent(Id, state.State.AddedRuns.Count, wanted.Count);
            }

            return false;
        }

        // Stored before any of them is dispatched: a ledger record past the stored grid would outlive a crash.
        state.State.AddedRuns.AddRange(added);
        try
        {
            await state.WriteOwnedStateAsync();
        }
        catch
        {
            state.State.AddedRuns.RemoveRange(state.State.AddedRuns.Count - added.Count, added.Count); // the reminder asks again
            throw;
        }

        var reused = _units?.Reused;
        (_grid, _units) = (null, null); // both expand the grid, which now has the added runs
        Units.Reused = reused;
        await Ledger.GrowAsync(Grid.Count);
        logger.RunsAdded(Id, added.Count, state.State.AddedRuns.Count, string.Join("; ", cells));
        return true;
    }

    /// <summary>The finished runs as the optimal-LR fit reads them (a diverged run: NaN), and the stopped runs' predicted finals.</summary>
    private async Task<(List<FinalLossPoint> Points, List<FinalLossPoint> Predicted)> OptimumInputsAsync()
    {
        var (points, predicted) = (new List<FinalLossPoint>(), new List<FinalLossPoint>());
        for (long from = 0; from < Grid.Count; from += MaxRunsPerCall)
        {
            foreach (var record in await Ledger.ReadAsync(from, MaxRunsPerCall))
            {
                var run = Grid.RunAt(record.Index);
                if (FinalLossPoints.Of(run, record) is { } point)
                {
                    points.Add(point);
                }
                else if (FinalLossPoints.PredictedOf(run, record) is { } stopped)
                {
                    predicted.Add(stopped);
                }
            }
        }

        return (points, predicted);
    }

    private DispatchWindow Window => _window ??= new DispatchWindow(Ledger, TaskSize, DispatchOrder.For(Grid));

    private WorkUnits Units => _units ??= WorkUnits.For(GrainFactory, Id, Grid);

    private async Task ResumeAsync()
    {
        _flushTimer ??= this.RegisterGrainTimer(_ => FlushAsync(), FlushPeriod, FlushPeriod);
        _span ??= SweepsTracing.StartSweep(Id, state.State.Spec!.Name, Grid.Count, Ledger.Finished);
        if (state.State.State == SweepState.Running && !Ledger.IsComplete)
        {
            metrics.SweepRunning(Id);
            if (Units.Reused is null)
            {
                // Read once an activation: the store's other sweeps may have finished more runs since the last.
                // Reuse saves work; failing to find any must not stop the sweep, which then runs everything.
                try
                {
                    Units.Reused = await RunReuse.FindAsync(GrainFactory, storage, Id, Grid);
                }
                catch (Exception e)
                {
                    logger.ReuseSearchFailed(e, Id);
                    Units.Reused = new Dictionary<long, string>();
                }
            }

            _redispatchTimer ??= this.RegisterGrainTimer(_ => RedispatchAsync(), RedispatchPeriod, RedispatchPeriod);
            await this.RegisterOrUpdateReminder(RedriveReminder, RedrivePeriod, RedrivePeriod);
            await PumpAsync();
        }
        else
        {
            await CompleteAsync(); // every run was recorded but the fits were not
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Being activated resumed the sweep; if it has ended, the reminder is no longer needed.
        if (state.State.Spec is null || state.State.State is SweepState.Completed or SweepState.Cancelled)
        {
            await StopRedrivingAsync();
        }
        else if (state.State.State == SweepState.Running && Ledger.IsComplete)
        {
            await CompleteAsync(); // the last result arrived but completing failed (storage unreachable)
        }
        else if (state.State.State == SweepState.Running)
        {
            await PumpAsync();
        }
        else if (state.State.State == SweepState.Fitting)
        {
            await CompleteAsync(); // the fit's report was lost; while the fit still runs, the law-fit grain only answers its version
        }
    }

    private async Task RedispatchAsync()
    {
        if (state.State.State != SweepState.Running)
        {
            return;
        }

        if (Ledger.IsComplete)
        {
            await CompleteAsync(); // completing failed when the last result came in (storage unreachable)
            return;
        }

        if (Window.Count == 0)
        {
            await PumpAsync(); // every dispatch failed; try again
            return;
        }

        var calls = new List<Task>();
        foreach (var unit in Window.InFlight)
        {
            calls.Add(await DispatchAsync(unit));
        }

        try
        {
            await Task.WhenAll(calls);
        }
        catch (Exception e)
        {
            logger.RedispatchFailed(e, Id);
        }
    }

    private async Task StopRedrivingAsync()
    {
        metrics.SweepStopped(Id);
        _redispatchTimer?.Dispose();
        _redispatchTimer = null;
        if (await this.GetReminder(RedriveReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>
    /// Dispatches runs until <c>concurrency</c> are in flight or the grid is exhausted. The calls are
    /// not awaited here: a run grain's activation reads its state from storage, and waiting for that
    /// would hold the sweep (which is not reentrant) for every run. A failed dispatch is noticed by
    /// <see cref="ObserveDispatchAsync"/> and retried.
    /// </summary>
    private async Task PumpAsync()
    {
        var spec = state.State.Spec!;
        if (spec.IsIngested)
        {
            return; // its runs arrive from sweeps ingest, through their run grains
        }

        while (Window.Count < spec.Concurrency && await Window.TakeAsync() is { } unit)
        {
            _ = ObserveDispatchAsync(unit, await DispatchAsync(unit));
        }
    }

    /// <summary>Sends a unit of work to its grain, in the sweep's trace; returns the call, not awaited.</summary>
    private async ValueTask<Task> DispatchAsync(long unit)
    {
        using var parent = SweepsTracing.Parent(_span);
        return await Units.SendAsync(unit, Ledger);
    }

    /// <summary>Runs on the grain's scheduler when a dispatch call ends: a failed one goes back in line.</summary>
    private async Task ObserveDispatchAsync(long unit, Task call)
    {
        try
        {
            await call;
        }
        catch (Exception e)
        {
            logger.DispatchFailed(e, unit, Id);
            Window.Failed(unit);
        }
    }

    /// <summary>Every run is recorded: the law-fit grain reads the runs, fits the laws and reports back (<see cref="ReportFits"/>).</summary>
    private async Task CompleteAsync()
    {
        // Every record is stored before the state says the runs are done: a sweep past Running is
        // never dispatched again, so a record held only in memory would go with the activation.
        await Ledger.FlushAsync();
        if (await RefineAsync())
        {
            await ResumeAsync(); // the added runs are dispatched (and redispatched) as the grid's were
            return;
        }

        state.State.State = SweepState.Fitting;
        var spec = state.State.Spec!;
        if (spec.Laws.Count == 0)
        {
            await ReportFits([]); // nothing to fit: no law-fit grain
            return;
        }

        await state.WriteOwnedStateAsync();
        try
        {
            using (SweepsTracing.Parent(_span))
            {
                await GrainFactory.GetGrain<ILawFitGrain>(Id).Start(spec.Laws, spec.Bootstrap, reportToSweep: true);
            }
        }
        catch (Exception e)
        {
            logger.FitStartFailed(e, Id);
            await ReportFits(spec.Laws.Select(law => new FitReport(law) { Warnings = [$"fit failed: {e.Message}"] }).ToList());
        }
    }

    public async Task ReportFits(IReadOnlyList<FitReport> fits)
    {
        if (state.State.State != SweepState.Fitting)
        {
            return; // a late or repeated report
        }

        state.State.Fits = [.. fits];
        state.State.State = SweepState.Completed;
        SweepsTracing.EndSweep(_span, "completed", Ledger.Finished);
        _span = null;
        logger.SweepCompleted(Id, Ledger.Summary.Counts.GetValueOrDefault(RunStatus.Succeeded), Ledger.Summary.Counts.GetValueOrDefault(RunStatus.Diverged),
            Ledger.Summary.Counts.GetValueOrDefault(RunStatus.Failed), Ledger.Summary.Counts.GetValueOrDefault(RunStatus.Stopped), Ledger.Summary.BestFinalLoss, Ledger.Summary.BestRunIndex);
        state.State.CompletedAt = DateTimeOffset.UtcNow;
        await state.WriteOwnedStateAsync();
        await StopRedrivingAsync();
        _dirty = false;
        _flushTimer?.Dispose();
        _flushTimer = null;
    }

    private async Task FlushAsync()
    {
        if (_dirty && state.State.Spec is not null)
        {
            // Cleared only once both are written: if storage is unreachable, the next tick tries
            // again (timer ticks do not interleave with results, so none arrives mid-write).
            await Ledger.FlushAsync();
            await state.WriteOwnedStateAsync();
            _dirty = false;
        }
        else if (_ledger is not null)
        {
            await _ledger.FlushAsync(); // lets go of idle pages
        }
    }

    /// <summary>
    /// The sweep as stored (<see cref="RunLedger.Stored"/>, at most a flush period behind): a user
    /// never sees a finished count that a crash of this silo would take back.
    /// </summary>
    private SweepStatus Status()
    {
        if (state.State.Spec is null)
        {
            return new SweepStatus(Id, "", state.State.State, 0, new Dictionary<RunStatus, long>(), 0, 0, [], default, null);
        }

        var stored = Ledger.Stored;
        // A task in flight holds up to runs_per_task runs (fewer at the grid's end, or if some finished before).
        var running = Math.Min(Window.Count * (long)TaskSize, Grid.Count - stored.Finished);
        var counts = new Dictionary<RunStatus, long>(stored.Counts)
        {
            [RunStatus.Running] = running,
            [RunStatus.Pending] = Math.Max(0, Grid.Count - stored.Finished - running),
        };
        // A process that only reads does not resume a running sweep: say so, rather than that it runs.
        var shown = state.State.State is SweepState.Running or SweepState.Fitting && !activation.Resume ? SweepState.Interrupted : state.State.State;
        return new SweepStatus(Id, state.State.Spec.Name, shown, Grid.Count, counts,
            state.State.ResumedRuns, state.State.DuplicateResults, state.State.Fits, state.State.StartedAt, state.State.CompletedAt,
            stored.TotalSteps, stored.SimulatedSteps, stored.BestFinalLoss, stored.BestRunIndex, state.State.ReusedRuns, state.State.AddedRuns.Count);
    }

    private static bool SameSpec(SweepSpec a, SweepSpec b) =>
        JsonSerializer.Serialize(a, SweepsJson.Options) == JsonSerializer.Serialize(b, SweepsJson.Options);
}
