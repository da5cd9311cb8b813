using Sweeps.Laws.ScheduleSearch;

namespace Sweeps.Laws.Curves;

/// <summary>
/// The multi-power-law paper's §5 problem: the non-increasing post-warmup schedule that starts at
/// the peak LR and minimises the predicted final loss. The law's minimiser is a staircase of a few
/// sharp drops (see <see cref="StaircaseSearch"/>); the search evaluates only the steps where the
/// LR changes. The objective is non-convex: another optimiser can find another shape (digest §4.8).
/// </summary>
public static class MplScheduleOptimizer
{
    public static ScheduleOptimization Optimize(MultiPowerLawParameters p, ScheduleProblem problem)
    {
        var law = new MplFinalLoss(p, problem.TotalSteps);
        return StaircaseSearch.Optimize(lr => law.Value(lr), problem);
    }
}
