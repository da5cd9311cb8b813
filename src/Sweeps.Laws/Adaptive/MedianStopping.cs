using Sweeps.Core.Grid;
using Sweeps.Core.Specs;

namespace Sweeps.Laws.Adaptive;

/// <summary>
/// Optuna's MedianPruner on a sweep: at a checkpoint, a run whose best loss so far is worse than the
/// median of the finished runs' losses at the same step (runs of its model size and horizon; Optuna's
/// PercentilePruner reads completed trials only) is stopped. Nothing is stopped until
/// <see cref="StoppingSettings.StartupRuns"/> runs of the model size and horizon have finished (Optuna's
/// n_startup_trials); checkpoints as the law rule's (from <c>after</c>, every <c>every</c>: its
/// n_warmup_steps and interval_steps).
/// </summary>
public sealed class MedianStopping(StoppingSettings settings) : IStoppingRule
{
    public bool Checks(RunDefinition run, int fromStep, int toStep) =>
        Checkpoints.Crossed(Checkpoints.Evenly(run.TotalSteps, settings.After, settings.Every), fromStep, toStep);

    public StopDecision Decide(RunProgress run, SweepProgress sweep)
    {
        var finished = sweep.Completed(run.Run).Count();
        if (finished < settings.StartupRuns)
        {
            return StopDecision.Continue($"{finished} of {settings.StartupRuns} runs of this model size and horizon finished: too few to compare");
        }

        var step = run.Step;
        var others = sweep.Completed(run.Run).Select(p => p.LossAt(step)).Where(double.IsFinite).Order().ToList();

        var median = others.Count % 2 == 1 ? others[others.Count / 2] : (others[others.Count / 2 - 1] + others[others.Count / 2]) / 2;
        var best = run.BestLossUpTo(step);
        return best > median
            ? new StopDecision(true, $"best loss {best:G5} by step {step} is worse than the median {median:G5} of {others.Count} finished runs there")
            : StopDecision.Continue($"best loss {best:G5} by step {step} is within the median {median:G5} of {others.Count} finished runs there");
    }
}
