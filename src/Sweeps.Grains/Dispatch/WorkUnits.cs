using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Core.Specs;
using Sweeps.Grains.Ledger;

namespace Sweeps.Grains.Dispatch;

/// <summary>
/// How a sweep's units of work (<see cref="DispatchWindow"/>) reach their grains: each run to its
/// own run grain, or, with <c>runs_per_task</c> above 1, the unfinished runs of a task to the task's
/// grain. The sweep grain sends and cancels units without knowing which.
/// </summary>
internal abstract class WorkUnits(IGrainFactory grains, string sweepId, SweepGrid grid)
{
    protected IGrainFactory Grains => grains;

    protected string SweepId => sweepId;

    protected SweepGrid Grid => grid;

    protected SweepSpec Spec => grid.Spec;

    /// <summary>Runs another sweep finished, by grid index: the run grain to read each one's result from (<see cref="RunReuse"/>); null until found.</summary>
    public IReadOnlyDictionary<long, string>? Reused { get; set; }

    /// <summary>Whether a unit is one run, whose curve so far can be watched while it runs.</summary>
    public abstract bool AreSingleRuns { get; }

    public static WorkUnits For(IGrainFactory grains, string sweepId, SweepGrid grid) =>
        grid.Spec.TaskSize == 1 ? new SingleRuns(grains, sweepId, grid) : new RunTasks(grains, sweepId, grid);

    /// <summary>Sends <paramref name="unit"/> to its grain; returns the call, not awaited (the grain's activation may read storage first).</summary>
    public abstract ValueTask<Task> SendAsync(long unit, RunLedger ledger);

    /// <summary>Asks <paramref name="unit"/>'s grain to stop its runs.</summary>
    public abstract Task CancelAsync(long unit);

    private sealed class SingleRuns(IGrainFactory grains, string sweepId, SweepGrid grid) : WorkUnits(grains, sweepId, grid)
    {
        public override bool AreSingleRuns => true;

        public override ValueTask<Task> SendAsync(long unit, RunLedger ledger)
        {
            var run = Grid.RunAt(unit);
            return ValueTask.FromResult(RunGrain(unit).Start(new RunAssignment(SweepId, run, Spec.Simulator, Spec.CurvePoints, Spec.Command, Spec.Stopping, Reused?.GetValueOrDefault(unit))));
        }

        public override Task CancelAsync(long unit) => RunGrain(unit).Cancel();

        private IRunGrain RunGrain(long index) => Grains.GetGrain<IRunGrain>(RunKeys.Of(SweepId, Grid.RunAt(index).RunId));
    }

    private sealed class RunTasks(IGrainFactory grains, string sweepId, SweepGrid grid) : WorkUnits(grains, sweepId, grid)
    {
        public override bool AreSingleRuns => false;

        public override async ValueTask<Task> SendAsync(long unit, RunLedger ledger)
        {
            var runs = new List<RunDefinition>(Spec.TaskSize);
            for (var index = unit; index < Math.Min(unit + Spec.TaskSize, Grid.Count); index++)
            {
                if (!await ledger.IsFinishedAsync(index))
                {
                    runs.Add(Grid.RunAt(index));
                }
            }

            return TaskGrain(unit).Start(new RunTaskAssignment(SweepId, runs, Spec.Simulator, Spec.CurvePoints));
        }

        public override Task CancelAsync(long unit) => TaskGrain(unit).Cancel();

        private IRunTaskGrain TaskGrain(long unit) => Grains.GetGrain<IRunTaskGrain>(RunKeys.OfTask(SweepId, unit, Spec.TaskSize));
    }
}
