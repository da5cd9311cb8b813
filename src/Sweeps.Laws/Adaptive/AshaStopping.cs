using Sweeps.Core.Grid;
using Sweeps.Core.Specs;

namespace Sweeps.Laws.Adaptive;

/// <summary>
/// Asynchronous successive halving (ASHA; Optuna's SuccessiveHalvingPruner, Ray Tune's ASHAScheduler)
/// on a sweep: rungs at r·η^k of the horizon (r = <see cref="StoppingSettings.MinResource"/>,
/// η = <see cref="StoppingSettings.ReductionFactor"/>). A run reaching a rung goes on only if its loss
/// there is among the best 1/η of the losses every run of its model size and horizon had at that
/// rung (itself included; with fewer than η of them, only the best goes on), as Optuna decides it.
/// </summary>
public sealed class AshaStopping(StoppingSettings settings) : IStoppingRule
{
    public bool Checks(RunDefinition run, int fromStep, int toStep) => Checkpoints.Crossed(Rungs(run.TotalSteps), fromStep, toStep);

    public StopDecision Decide(RunProgress run, SweepProgress sweep)
    {
        var rung = Rungs(run.Run.TotalSteps).Where(r => r <= run.Step).DefaultIfEmpty(0).Max();
        if (rung == 0)
        {
            return StopDecision.Continue("before the first rung");
        }

        var value = run.LossAt(rung);
        var competing = sweep.Cell(run.Run).Where(p => p.Step >= rung).Select(p => p.LossAt(rung)).Where(double.IsFinite).Order().ToList();
        var promotable = Math.Max(competing.Count / settings.ReductionFactor - 1, 0);
        var cutoff = competing.Count > 0 ? competing[Math.Min(promotable, competing.Count - 1)] : double.PositiveInfinity;
        return value <= cutoff
            ? StopDecision.Continue($"loss {value:G5} at rung step {rung} is among the best 1/{settings.ReductionFactor} of {competing.Count} runs there")
            : new StopDecision(true, $"loss {value:G5} at rung step {rung} is not among the best 1/{settings.ReductionFactor} of {competing.Count} runs there (cutoff {cutoff:G5})");
    }

    /// <summary>The rung steps of a run of <paramref name="totalSteps"/>: r·T, r·η·T, … before the last step.</summary>
    public IEnumerable<int> Rungs(int totalSteps)
    {
        for (var fraction = settings.MinResource; fraction < 1 - 1e-9; fraction *= settings.ReductionFactor)
        {
            var step = (int)Math.Round(fraction * totalSteps);
            if (step >= 1 && step < totalSteps)
            {
                yield return step;
            }
        }
    }
}
