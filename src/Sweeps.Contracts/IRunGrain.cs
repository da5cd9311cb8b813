namespace Sweeps.Contracts;

/// <summary>
/// Executes one run (key: <c>{sweepId}/{runId}</c>) on the silo's kernel worker pool and keeps its
/// result; a run that already has a result is never executed again.
/// </summary>
[Alias("sweeps.run")]
public interface IRunGrain : IGrainWithStringKey
{
    /// <summary>Begins the run and returns at once; the result is reported to the sweep grain.</summary>
    [Alias("start")]
    Task Start(RunAssignment assignment);

    /// <summary>
    /// Keeps a result made elsewhere (an ingested curve) as this run's, stored before the call returns,
    /// and reports it to the sweep; a run that already has a result keeps it and reports it again.
    /// </summary>
    [Alias("ingest")]
    Task Ingest(RunResult result);

    [Alias("result")]
    Task<RunResult?> GetResult();

    /// <summary>The curve so far while the kernel runs (at most <paramref name="maxPoints"/> points); null when it is not running here.</summary>
    [Alias("live")]
    Task<LiveRun?> GetLive(int maxPoints);

    /// <summary>Stops the kernel if it is running (cooperatively: kernels check between curve records); nothing is recorded.</summary>
    [Alias("cancel")]
    Task Cancel();
}
