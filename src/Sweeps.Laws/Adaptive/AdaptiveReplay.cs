using Sweeps.Core.Grid;

namespace Sweeps.Laws.Adaptive;

/// <summary>
/// A sweep run again from its finished curves as it would have gone with a stopping rule: runs start in
/// the order given (a live sweep's: <see cref="DispatchOrder"/>), <c>concurrency</c> at a time, each advancing one step per unit of time and recording its
/// curve points as it goes; a run stopped at a checkpoint frees its slot for the next. Kernels are
/// deterministic, so a run stopped at step s would have produced exactly the first points of its full
/// curve: the replay shows what the rule would have saved and lost on the same sweep, with the same
/// rule code a live sweep runs. What it leaves out: runs of larger models take longer per step in a
/// real sweep, which changes which runs have finished when another is judged.
/// </summary>
public static class AdaptiveReplay
{
    /// <param name="StepsRun">Steps simulated: the whole horizon, or where the run was stopped (or diverged).</param>
    /// <param name="FinalLoss">The loss at its last step, NaN when it was stopped or diverged.</param>
    /// <param name="PredictedFinal">The law rule's last prediction of its final loss, if it made one.</param>
    public sealed record Outcome(RunDefinition Run, int StepsRun, bool Stopped, double FinalLoss, double? PredictedFinal, string? Reason);

    /// <param name="runs">Every run of the sweep with its full curve (steps count updates), in the order they start.</param>
    /// <param name="rule">The stopping rule; null runs the full grid.</param>
    public static IReadOnlyList<Outcome> Run(IReadOnlyList<RunCurve> runs, IStoppingRule? rule, int concurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var sweep = new SweepProgress();
        var outcomes = new Outcome?[runs.Count];
        var predictions = new double?[runs.Count];
        // Each run's next curve point, keyed by when it is recorded; ties go to the run started earlier.
        var events = new PriorityQueue<(int Run, int Point), (long Time, int Run)>();
        var next = 0;
        void StartNext(long time)
        {
            while (next < runs.Count && runs[next].Curve.Count == 0)
            {
                outcomes[next] = new Outcome(runs[next].Run, 0, false, double.NaN, null, "no curve");
                next++;
            }

            if (next < runs.Count)
            {
                events.Enqueue((next, 0), (time + runs[next].Curve.Steps[0], next));
                next++;
            }
        }

        for (var i = 0; i < concurrency; i++)
        {
            StartNext(0);
        }

        while (events.TryDequeue(out var point, out var when))
        {
            var (run, curve) = (runs[point.Run].Run, runs[point.Run].Curve);
            var progress = new RunProgress(run, curve, point.Point + 1);
            sweep.Observe(progress);
            if (progress.Points == curve.Count)
            {
                outcomes[point.Run] = new Outcome(run, progress.Step, false, progress.Completed ? progress.LatestLoss : double.NaN, predictions[point.Run], null);
                StartNext(when.Time);
                continue;
            }

            var previous = point.Point == 0 ? 0 : curve.Steps[point.Point - 1];
            if (rule is not null && rule.Checks(run, previous, progress.Step))
            {
                var decision = rule.Decide(progress, sweep);
                predictions[point.Run] = decision.PredictedFinal ?? predictions[point.Run];
                if (decision.Stop)
                {
                    sweep.Stopped(progress);
                    outcomes[point.Run] = new Outcome(run, progress.Step, true, double.NaN, predictions[point.Run], decision.Reason);
                    StartNext(when.Time);
                    continue;
                }
            }

            events.Enqueue((point.Run, point.Point + 1), (when.Time - progress.Step + curve.Steps[point.Point + 1], point.Run));
        }

        return outcomes.Select(o => o!).ToList();
    }
}
