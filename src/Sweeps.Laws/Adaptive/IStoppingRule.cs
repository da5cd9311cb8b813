using Sweeps.Core.Grid;
using Sweeps.Core.Specs;

namespace Sweeps.Laws.Adaptive;

/// <summary>
/// A rule that stops runs early. A sweep asks it at each of a run's checkpoints (where
/// <see cref="Checks"/> says a run has just passed one) whether the run should go on; the rule reads
/// only what the sweep has seen (<see cref="SweepProgress"/>), so a sweep resumed after a crash decides
/// as it would have. The same rules serve a live sweep and <c>sweeps bench adaptive</c>.
/// </summary>
public interface IStoppingRule
{
    /// <summary>Whether one of the run's checkpoints lies after <paramref name="fromStep"/> and at or before <paramref name="toStep"/>.</summary>
    bool Checks(RunDefinition run, int fromStep, int toStep);

    StopDecision Decide(RunProgress run, SweepProgress sweep);

    public static IStoppingRule Create(StoppingSettings settings) => settings.Rule switch
    {
        StoppingRuleKind.Law => new LawStopping(settings),
        StoppingRuleKind.Asha => new AshaStopping(settings),
        StoppingRuleKind.Median => new MedianStopping(settings),
        _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Rule, "no such stopping rule"),
    };
}

/// <summary>A run's checkpoints: the steps at which a rule judges it.</summary>
internal static class Checkpoints
{
    /// <summary>From <paramref name="after"/> of the horizon, then every <paramref name="every"/> of it, before the last step.</summary>
    public static IEnumerable<int> Evenly(int totalSteps, double after, double every)
    {
        for (var k = 0; ; k++)
        {
            var step = (int)Math.Ceiling((after + k * every) * totalSteps - 1e-9);
            if (step >= totalSteps)
            {
                yield break;
            }

            yield return Math.Max(step, 1);
        }
    }

    public static bool Crossed(IEnumerable<int> checkpoints, int fromStep, int toStep) => checkpoints.Any(c => c > fromStep && c <= toStep);
}
