using System.Text.Json;
using Microsoft.Extensions.Logging;
using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Core.Specs;
using Sweeps.Laws;

namespace Sweeps.Grains;

/// <summary>
/// Coordinates one sweep. Runs are dispatched in grid order with at most <c>concurrency</c> in
/// flight; each result is recorded once by grid index (a second delivery is counted as a
/// duplicate and dropped). Progress is written to storage at most once a second and at the end;
/// a crash in between costs nothing, because run grains keep their own results and report them
/// again when the resumed sweep dispatches them.
/// </summary>
public sealed class SweepGrain(
    [PersistentState("sweep", StorageNames.Sweeps)] IPersistentState<SweepGrainState> state,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain, IRemindable
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

    /// <summary>Most run curves handed to curve-law fits, so a huge sweep cannot flood one message.</summary>
    public const int MaxCurves = 20_000;

    private const int CurveBatch = 64;

    private readonly HashSet<long> _inFlight = [];
    private readonly Queue<long> _retry = new();
    private readonly Dictionary<RunStatus, long> _counts = [];
    private SweepGrid? _grid;
    private long _cursor;
    private bool _dirty;
    private IGrainTimer? _flushTimer;
    private IGrainTimer? _redispatchTimer;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var record in state.State.Finished.Values)
        {
            Count(record.Status);
        }

        if (state.State.Spec is not null && state.State.State != SweepState.Completed)
        {
            // Every run recorded before this activation was executed by an earlier one.
            state.State.ResumedRuns = state.State.Finished.Count;
            await ResumeAsync();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await FlushAsync();
    }

    public async Task<SweepStatus> Start(SweepSpec spec)
    {
        if (state.State.Spec is null)
        {
            state.State = new SweepGrainState { Spec = spec, State = SweepState.Running, StartedAt = DateTimeOffset.UtcNow };
            await state.WriteStateAsync();
            await ResumeAsync();
        }
        else if (!SameSpec(state.State.Spec, spec))
        {
            throw new ArgumentException($"sweep {Id} already exists with a different spec");
        }
        else if (state.State.State == SweepState.Cancelled)
        {
            // Submitted again after a cancel: carry on from the finished runs, from the start of the grid
            // (the runs that were in flight when it was cancelled are behind the cursor).
            _cursor = 0;
            state.State.State = SweepState.Running;
            state.State.CompletedAt = null;
            await state.WriteStateAsync();
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
        await state.WriteStateAsync();
        var running = _inFlight.ToList();
        _inFlight.Clear();
        _retry.Clear();
        await StopRedrivingAsync();
        await Task.WhenAll(running.Select(index => GrainFactory.GetGrain<IRunGrain>(RunKeys.Of(Id, Grid.RunAt(index).RunId)).Cancel()));
        return Status();
    }

    public Task<SweepStatus> GetStatus() => Task.FromResult(Status());

    public Task<IReadOnlyList<RunRecord>> GetRuns() =>
        Task.FromResult<IReadOnlyList<RunRecord>>(state.State.Finished.Values.OrderBy(r => r.Index).ToList());

    public async Task ReportResult(RunResult result)
    {
        if (state.State.Spec is null)
        {
            logger.LogWarning("Sweep {SweepId} has no spec; dropping the result of run {RunIndex}", Id, result.Index);
            return;
        }

        _dirty = true;
        if (state.State.Finished.ContainsKey(result.Index))
        {
            state.State.DuplicateResults++;
            return;
        }

        state.State.Finished[result.Index] = new RunRecord(result.Index, result.Status, result.FinalLoss);
        Count(result.Status);
        state.State.TotalSteps += result.TotalSteps;
        state.State.SimulatedSteps += result.SimulatedSteps;
        _inFlight.Remove(result.Index);
        if (result.FromStorage)
        {
            state.State.ResumedRuns++;
        }

        if (state.State.State == SweepState.Cancelled)
        {
            return; // a run that finished before it heard of the cancel: recorded, nothing more dispatched
        }

        if (state.State.Finished.Count == Grid.Count)
        {
            await CompleteAsync();
        }
        else
        {
            await PumpAsync();
        }
    }

    private SweepGrid Grid => _grid ??= new SweepGrid(state.State.Spec!);

    private async Task ResumeAsync()
    {
        _flushTimer ??= this.RegisterGrainTimer(_ => FlushAsync(), FlushPeriod, FlushPeriod);
        if (state.State.State == SweepState.Running && state.State.Finished.Count < Grid.Count)
        {
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
        else if (state.State.State == SweepState.Running)
        {
            await PumpAsync();
        }
    }

    private async Task RedispatchAsync()
    {
        if (state.State.State != SweepState.Running || _inFlight.Count == 0)
        {
            return;
        }

        var spec = state.State.Spec!;
        var calls = _inFlight.Select(index =>
        {
            var run = Grid.RunAt(index);
            return GrainFactory.GetGrain<IRunGrain>(RunKeys.Of(Id, run.RunId)).Start(new RunAssignment(Id, run, spec.Simulator, spec.CurvePoints));
        }).ToList();
        try
        {
            await Task.WhenAll(calls);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Dispatching the in-flight runs of sweep {SweepId} again failed for some; the next round retries", Id);
        }
    }

    private async Task StopRedrivingAsync()
    {
        _redispatchTimer?.Dispose();
        _redispatchTimer = null;
        if (await this.GetReminder(RedriveReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>Dispatches runs until <c>concurrency</c> are in flight or the grid is exhausted.</summary>
    private async Task PumpAsync()
    {
        var spec = state.State.Spec!;
        var batch = new List<(long Index, Task Call)>();
        while (_inFlight.Count < spec.Concurrency && NextUnfinished() is { } index)
        {
            _inFlight.Add(index);
            var run = Grid.RunAt(index);
            var grain = GrainFactory.GetGrain<IRunGrain>(RunKeys.Of(Id, run.RunId));
            batch.Add((index, grain.Start(new RunAssignment(Id, run, spec.Simulator, spec.CurvePoints))));
        }

        foreach (var (index, call) in batch)
        {
            try
            {
                await call;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Dispatching run {RunIndex} of sweep {SweepId} failed; it will be retried", index, Id);
                _inFlight.Remove(index);
                _retry.Enqueue(index);
            }
        }
    }

    private long? NextUnfinished()
    {
        while (_retry.TryDequeue(out var retry))
        {
            if (!state.State.Finished.ContainsKey(retry))
            {
                return retry;
            }
        }

        while (_cursor < Grid.Count)
        {
            var index = _cursor++;
            if (!state.State.Finished.ContainsKey(index) && !_inFlight.Contains(index))
            {
                return index;
            }
        }

        return null;
    }

    /// <summary>Every run is recorded: hand the laws to the law-fit grain, which reports back (<see cref="ReportFits"/>).</summary>
    private async Task CompleteAsync()
    {
        state.State.State = SweepState.Fitting;
        await state.WriteStateAsync();
        var spec = state.State.Spec!;
        var points = state.State.Finished.Values
            .Where(r => r.Status == RunStatus.Succeeded)
            .Select(r => ToPoint(Grid.RunAt(r.Index), r.FinalLoss))
            .ToList();
        try
        {
            var curves = spec.Laws.Any(KnownLaws.CurveLaws.Contains) ? await CollectCurvesAsync() : [];
            await GrainFactory.GetGrain<ILawFitGrain>(Id).Start(spec.Laws, points, curves);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Starting the fits of sweep {SweepId} failed", Id);
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
        state.State.CompletedAt = DateTimeOffset.UtcNow;
        await state.WriteStateAsync();
        await StopRedrivingAsync();
        _dirty = false;
        _flushTimer?.Dispose();
        _flushTimer = null;
    }

    /// <summary>
    /// The curves of the succeeded runs, for curve laws, fetched from their run grains in batches
    /// (a curve is a few hundred points; beyond <see cref="MaxCurves"/> runs the first ones are used).
    /// </summary>
    private async Task<IReadOnlyList<RunCurve>> CollectCurvesAsync()
    {
        var succeeded = state.State.Finished.Values.Where(r => r.Status == RunStatus.Succeeded).OrderBy(r => r.Index).Take(MaxCurves).ToList();
        var curves = new List<RunCurve>(succeeded.Count);
        foreach (var batch in succeeded.Chunk(CurveBatch))
        {
            var results = await Task.WhenAll(batch.Select(r => GrainFactory.GetGrain<IRunGrain>(RunKeys.Of(Id, Grid.RunAt(r.Index).RunId)).GetResult()));
            curves.AddRange(results.Where(r => r?.Curve is not null).Select(r => new RunCurve(Grid.RunAt(r!.Index), r.Curve!)));
        }

        return curves;
    }

    private async Task FlushAsync()
    {
        if (_dirty && state.State.Spec is not null)
        {
            _dirty = false;
            await state.WriteStateAsync();
        }
    }

    private SweepStatus Status()
    {
        var total = state.State.Spec is null ? 0 : Grid.Count;
        var counts = new Dictionary<RunStatus, long>(_counts)
        {
            [RunStatus.Running] = _inFlight.Count,
            [RunStatus.Pending] = Math.Max(0, total - state.State.Finished.Count - _inFlight.Count),
        };
        return new SweepStatus(Id, state.State.Spec?.Name ?? "", state.State.State, total, counts,
            state.State.ResumedRuns, state.State.DuplicateResults, state.State.Fits, state.State.StartedAt, state.State.CompletedAt,
            state.State.TotalSteps, state.State.SimulatedSteps);
    }

    private void Count(RunStatus status) => _counts[status] = _counts.GetValueOrDefault(status) + 1;

    private static FinalLossPoint ToPoint(RunDefinition run, double finalLoss) =>
        new(run.ModelSize, run.TotalSteps, run.PeakLr, run.WarmupSteps, run.ScheduleName, run.Seed, finalLoss);

    private static bool SameSpec(SweepSpec a, SweepSpec b) =>
        JsonSerializer.Serialize(a, SweepsJson.Options) == JsonSerializer.Serialize(b, SweepsJson.Options);
}
