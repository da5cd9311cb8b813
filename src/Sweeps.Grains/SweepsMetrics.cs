using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Sweeps.Contracts;

namespace Sweeps.Grains;

/// <summary>
/// The silo's metrics, on the BCL's <see cref="Meter"/> (named <see cref="MeterName"/>), so the grains
/// need no telemetry package; the host exports them (Prometheus at <c>/metrics</c> as
/// <c>sweeps_runs_started_total</c>, <c>sweeps_runs_finished_total{status}</c>,
/// <c>sweeps_kernel_duration_seconds</c>, <c>sweeps_fit_duration_seconds</c>,
/// <c>sweeps_kernel_queue_depth</c>, <c>sweeps_active_sweeps</c>; OTLP when configured).
/// </summary>
public sealed class SweepsMetrics : IDisposable
{
    public const string MeterName = "Sweeps";

    private readonly Meter _meter;
    private readonly Counter<long> _runsStarted;
    private readonly Counter<long> _runsFinished;
    private readonly Histogram<double> _kernelSeconds;
    private readonly Histogram<double> _fitSeconds;
    private readonly ConcurrentDictionary<string, byte> _activeSweeps = new();

    public SweepsMetrics(IMeterFactory meters, ComputePool pool)
    {
        _meter = meters.Create(MeterName);
        _runsStarted = _meter.CreateCounter<long>("sweeps.runs.started", "{run}", "Runs whose kernel started on this silo");
        _runsFinished = _meter.CreateCounter<long>("sweeps.runs.finished", "{run}", "Runs whose kernel finished on this silo, by status (succeeded, diverged, failed)");
        // Buckets in seconds, decades apart: kernels from 0.1 ms to 20 min, fits from 10 ms.
        _kernelSeconds = _meter.CreateHistogram("sweeps.kernel.duration", "s", "Seconds each run's kernel took", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1e-4, 1e-3, 0.01, 0.1, 1, 10, 100, 1000] });
        _fitSeconds = _meter.CreateHistogram("sweeps.fit.duration", "s", "Seconds each sweep's law fits took", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.1, 1, 10, 100, 1000] });
        _meter.CreateObservableGauge("sweeps.kernel.queue_depth", () => pool.Queued, "{kernel}", "Kernels running or waiting for a worker on this silo");
        _meter.CreateObservableGauge("sweeps.active_sweeps", () => _activeSweeps.Count, "{sweep}", "Sweeps running with their coordinator on this silo");
    }

    public void RunStarted() => _runsStarted.Add(1);

    public void RunFinished(RunResult result)
    {
        _runsFinished.Add(1, new KeyValuePair<string, object?>("status", result.Status.ToString().ToLowerInvariant()));
        _kernelSeconds.Record(result.KernelSeconds);
    }

    public void FitFinished(double seconds) => _fitSeconds.Record(seconds);

    public void SweepRunning(string sweepId) => _activeSweeps.TryAdd(sweepId, 0);

    public void SweepStopped(string sweepId) => _activeSweeps.TryRemove(sweepId, out _);

    public void Dispose() => _meter.Dispose();
}
