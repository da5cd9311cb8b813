using Microsoft.Extensions.Logging;
using Sweeps.Contracts;
using Sweeps.Grains.Storage;
using Sweeps.Laws;

namespace Sweeps.Grains;

/// <summary>Fits laws on the worker pool (a fit is arithmetic, not grain work) and keeps each version.</summary>
public sealed class LawFitGrain(
    [PersistentState("fits", StorageNames.Sweeps)] IPersistentState<LawFitGrainState> state,
    KernelWorkerPool pool,
    SweepsMetrics metrics,
    ILogger<LawFitGrain> logger) : Grain, ILawFitGrain
{
    private const int ReportAttempts = 5;
    private Task? _running;

    public Task<IReadOnlyList<FitReport>> Fit(IReadOnlyList<string> laws, IReadOnlyList<FinalLossPoint> points, IReadOnlyList<RunCurve> curves, int? bootstrap) =>
        FitAsync(laws, points, curves, bootstrap, SweepsTracing.RequestedParent());

    private async Task<IReadOnlyList<FitReport>> FitAsync(
        IReadOnlyList<string> laws, IReadOnlyList<FinalLossPoint> points, IReadOnlyList<RunCurve> curves, int? bootstrap, System.Diagnostics.ActivityContext parent)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var span = SweepsTracing.StartChild("fit", parent);
        span?.SetTag("sweep.id", this.GetPrimaryKeyString()).SetTag("fit.laws", string.Join(',', laws)).SetTag("fit.points", points.Count).SetTag("fit.curves", curves.Count);
        var reports = await pool.RunAsync(_ => SweepLaws.Fit(laws, points, curves, bootstrap), owner: this.GetPrimaryKeyString());
        metrics.FitFinished(clock.Elapsed.TotalSeconds);
        state.State.Versions.Add(new FitVersion(state.State.Versions.Count + 1, DateTimeOffset.UtcNow, reports));
        try
        {
            await state.WriteOwnedStateAsync();
        }
        catch (Exception e)
        {
            // The history is a record of the fits, not the fits: the sweep keeps these in its own state,
            // and the next fit's write carries this version with it.
            logger.LogWarning(e, "Storing fit version {Version} of sweep {SweepId} failed", state.State.Versions.Count, this.GetPrimaryKeyString());
        }

        return reports;
    }

    public Task Start(IReadOnlyList<string> laws, IReadOnlyList<FinalLossPoint> points, IReadOnlyList<RunCurve> curves, int? bootstrap)
    {
        // Not awaited: the sweep is waiting on this call and is not reentrant.
        _running ??= FitAndReportAsync(laws, points, curves, bootstrap, SweepsTracing.RequestedParent());
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<FitReport>> GetLatest() =>
        Task.FromResult(state.State.Versions.Count == 0 ? [] : state.State.Versions[^1].Reports);

    private async Task FitAndReportAsync(
        IReadOnlyList<string> laws, IReadOnlyList<FinalLossPoint> points, IReadOnlyList<RunCurve> curves, int? bootstrap, System.Diagnostics.ActivityContext parent)
    {
        IReadOnlyList<FitReport> reports;
        try
        {
            reports = await FitAsync(laws, points, curves, bootstrap, parent);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Fitting the laws of sweep {SweepId} failed", this.GetPrimaryKeyString());
            reports = laws.Select(law => new FitReport(law) { Warnings = [$"fit failed: {e.Message}"] }).ToList();
        }

        var sweep = GrainFactory.GetGrain<ISweepGrain>(this.GetPrimaryKeyString());
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await sweep.ReportFits(reports);
                break;
            }
            catch (Exception e) when (attempt < ReportAttempts)
            {
                logger.LogWarning(e, "Reporting the fits of sweep {SweepId} failed (attempt {Attempt}); retrying", this.GetPrimaryKeyString(), attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
            catch (Exception e)
            {
                // The sweep re-starts the fit when it is next activated in the Fitting state.
                logger.LogError(e, "Could not report the fits of sweep {SweepId}", this.GetPrimaryKeyString());
                break;
            }
        }

        _running = null;
    }
}
