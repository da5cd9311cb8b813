using Microsoft.Extensions.Logging;
using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Core.Specs;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Storage;
using Sweeps.Laws;
using Sweeps.Laws.Scaling;

namespace Sweeps.Grains;

/// <summary>
/// The one place a sweep's laws are fitted: it reads the fit inputs (<see cref="FitInputs"/>), fits
/// on the worker pool (a fit is arithmetic, not grain work), keeps each version, reports the
/// sweep's own fit to the sweep grain, and predicts at a new scale (<see cref="ScalePredictor"/>)
/// for <c>sweeps predict</c> and the dashboard. Fits and predictions run one after another, in the
/// background of this activation; callers ask for the version or ticket they were given.
/// </summary>
public sealed class LawFitGrain(
    [PersistentState("fits", StorageNames.Sweeps)] IPersistentState<LawFitGrainState> state,
    ComputePool pool,
    SweepsMetrics metrics,
    SweepActivation activation,
    ILogger<LawFitGrain> logger) : Grain, ILawFitGrain
{
    /// <summary>Versions kept in storage: the history of a sweep refitted again and again stays small.</summary>
    public const int KeptVersions = 100;

    private readonly HashSet<int> _fitting = [];
    private readonly PredictionTickets _predictions = new();
    private Task _queue = Task.CompletedTask;
    private Task _writing = Task.CompletedTask; // the last state write: writes go one at a time
    private int? _sweepsOwnFit; // the version being fitted for the sweep, while it runs

    private string Id => this.GetPrimaryKeyString();

    public async Task<int> Start(IReadOnlyList<string> laws, int? bootstrap, bool reportToSweep)
    {
        if (reportToSweep && _sweepsOwnFit is { } running)
        {
            return running; // the sweep asked again (its reminder) while its fit runs
        }

        var version = ++state.State.LastVersion;
        _fitting.Add(version);
        if (reportToSweep)
        {
            _sweepsOwnFit = version;
        }

        // Not awaited: the caller (the sweep grain, or a client) is waiting on this call.
        _queue = AfterAsync(_queue, version, laws, bootstrap, reportToSweep, SweepsTracing.RequestedParent());
        await ReserveAsync(version);
        return version;
    }

    public Task<FitVersionState> GetVersion(int version) =>
        Task.FromResult(new FitVersionState(state.State.Versions.FirstOrDefault(v => v.Version == version), _fitting.Contains(version)));

    public Task<IReadOnlyList<FitVersion>> GetVersions() => Task.FromResult<IReadOnlyList<FitVersion>>([.. state.State.Versions]);

    public async Task<int> StartPrediction(PredictionRequest request)
    {
        var finished = (await GrainFactory.GetGrain<ISweepGrain>(Id).GetStatus()).Finished;
        if (_predictions.Find(request.Key, finished) is { } asked)
        {
            return asked;
        }

        var ticket = _predictions.Add(request.Key, finished);
        // Not awaited: the caller polls GetPrediction. Queued with the fits: one arithmetic job per sweep at a time.
        _queue = PredictAfterAsync(_queue, ticket, request);
        return ticket.Number;
    }

    public Task<PredictionProgress> GetPrediction(int ticket) => Task.FromResult(_predictions.Progress(ticket));

    private async Task AfterAsync(Task previous, int version, IReadOnlyList<string> laws, int? bootstrap, bool reportToSweep, System.Diagnostics.ActivityContext parent)
    {
        await previous; // never faults: each fit ends in a version, a failed one with its reason
        var fitted = await FitAsync(version, laws, bootstrap, parent);
        await KeepAsync(fitted);
        _fitting.Remove(version);
        if (reportToSweep)
        {
            await ReportAsync(fitted.Reports);
            _sweepsOwnFit = null;
        }
    }

    private async Task PredictAfterAsync(Task previous, PredictionTickets.Ticket ticket, PredictionRequest request)
    {
        await previous; // never faults (see AfterAsync)
        try
        {
            ticket.Stage("reading the sweep's finished runs and curves");
            var spec = await GrainFactory.GetGrain<ISweepGrain>(Id).GetSpec() ?? throw new InvalidOperationException($"no sweep with id '{Id}'");
            var inputs = await FitInputs.ReadAsync(GrainFactory, Id, new SweepGrid(spec), withCurves: true);
            if (inputs.Points.Count == 0)
            {
                ticket.End(null, 0, 0);
                return;
            }

            ticket.Stage($"fitting on {inputs.Points.Count} runs and {inputs.Curves.Count} curves");
            var prediction = await pool.RunAsync(_ => ScalePredictor.Predict(inputs.Points, inputs.Curves, inputs.Diverged,
                request.ModelSize, request.TotalSteps, request.WarmupSteps, request.Schedules?.ToList(), ticket.Stage), owner: Id);
            ticket.End(prediction, inputs.Points.Count, inputs.Curves.Count);
        }
        catch (Exception e)
        {
            logger.PredictionFailed(e, Id);
            ticket.End(null, 0, 0, e.Message);
        }
    }

    private async Task<FitVersion> FitAsync(int version, IReadOnlyList<string> laws, int? bootstrap, System.Diagnostics.ActivityContext parent)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var span = SweepsTracing.StartChild("fit", parent);
        try
        {
            var spec = await GrainFactory.GetGrain<ISweepGrain>(Id).GetSpec() ?? throw new InvalidOperationException($"no sweep with id '{Id}'");
            var inputs = await FitInputs.ReadAsync(GrainFactory, Id, new SweepGrid(spec), laws.Any(KnownLaws.CurveLaws.Contains));
            span?.SetTag("sweep.id", Id).SetTag("fit.laws", string.Join(',', laws)).SetTag("fit.points", inputs.Points.Count).SetTag("fit.curves", inputs.Curves.Count);
            var reports = await pool.RunAsync(_ => SweepLaws.Fit(laws, inputs.Points, inputs.Curves, bootstrap, inputs.Predicted), owner: Id);
            metrics.FitFinished(clock.Elapsed.TotalSeconds);
            // A final-loss law of a huge sweep saw a sample of its runs: say so with its figures.
            var noted = inputs.SampleNote is { } note
                ? reports.Select(fit => KnownLaws.CurveLaws.Contains(fit.Law) ? fit : fit with { Warnings = [.. fit.Warnings, note] }).ToList()
                : reports;
            return new FitVersion(version, DateTimeOffset.UtcNow, noted) { FinishedRuns = inputs.FinishedRuns };
        }
        catch (Exception e)
        {
            logger.FitFailed(e, Id);
            return new FitVersion(version, DateTimeOffset.UtcNow, laws.Select(law => new FitReport(law) { Warnings = [$"fit failed: {e.Message}"] }).ToList());
        }
    }

    /// <summary>
    /// Stores the number just handed out before the caller sees it: a silo that dies mid-fit must not
    /// leave the next activation to hand the same number to a different fit.
    /// </summary>
    private async Task ReserveAsync(int version)
    {
        if (!activation.Resume)
        {
            return;
        }

        try
        {
            await WriteInTurnAsync();
        }
        catch (Exception e)
        {
            // The fit goes on from memory; only if this silo also stops before the next write can the number repeat.
            logger.FitStoreFailed(e, version, Id);
        }
    }

    /// <summary>Writes the state after any write still under way (the background fits write as they end).</summary>
    private Task WriteInTurnAsync()
    {
        async Task AfterAsync(Task previous)
        {
            await Task.WhenAny(previous); // never throws: the earlier write's failure is its own caller's to handle
            await state.WriteOwnedStateAsync();
        }

        return _writing = AfterAsync(_writing);
    }

    private async Task KeepAsync(FitVersion fitted)
    {
        state.State.Versions.Add(fitted);
        if (state.State.Versions.Count > KeptVersions)
        {
            state.State.Versions.RemoveRange(0, state.State.Versions.Count - KeptVersions);
        }

        if (!activation.Resume)
        {
            return; // a process that only reads a data directory keeps its fits in memory, and writes nothing
        }

        try
        {
            await WriteInTurnAsync();
        }
        catch (Exception e)
        {
            // The history is a record of the fits: the caller gets this version from memory, the sweep
            // keeps its own fits in its state, and the next fit's write carries this version with it.
            logger.FitStoreFailed(e, fitted.Version, Id);
        }
    }

    /// <summary>Should every attempt fail, the sweep starts the fit again when its reminder next finds it fitting.</summary>
    private Task<bool> ReportAsync(IReadOnlyList<FitReport> reports) =>
        SweepReports.SendAsync(() => GrainFactory.GetGrain<ISweepReportGrain>(Id).ReportFits(reports), logger, "the fits", Id);
}
