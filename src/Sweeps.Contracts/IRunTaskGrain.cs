namespace Sweeps.Contracts;

/// <summary>
/// Executes a task of several consecutive runs of a sweep (key: <see cref="RunKeys.OfTask"/>) for
/// sweeps of very short runs (<c>runs_per_task</c>): one activation, one storage write and one
/// report for all of them. A run of the task that already has a result is never executed again.
/// </summary>
[Alias("sweeps.run-task")]
public interface IRunTaskGrain : IGrainWithStringKey
{
    /// <summary>Begins the task's runs and returns at once; their results are reported to the sweep grain together.</summary>
    [Alias("start")]
    Task Start(RunTaskAssignment assignment);

    /// <summary>The result of one run of the task, by grid index (null until it has one).</summary>
    [Alias("result")]
    Task<RunResult?> GetResult(long index);

    /// <summary>
    /// The results of several runs of the task, by grid index, in the order asked (null where a run has
    /// none). A reader of a whole sweep asks each task once this way, and a finished task's activation
    /// then lets go: a reader of a million runs does not hold every task it read in memory.
    /// </summary>
    [Alias("results")]
    Task<IReadOnlyList<RunResult?>> GetResults(IReadOnlyList<long> indices);

    /// <summary>Stops the task's kernels (cooperatively); nothing of an unfinished task is recorded.</summary>
    [Alias("cancel")]
    Task Cancel();
}
