using System.Diagnostics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using Sweeps.Laws.ScheduleSearch;

namespace Sweeps.Laws.OptLaws;

/// <summary>
/// The schedule the Opt-Laws predict to end lowest, within the family their published closed forms
/// cover (Tables 5–6, "constant &amp; cooldown"): the warmup to the peak, a plateau at the peak, and a
/// cooldown to 0, linear or half-cosine, of at least <see cref="MinimumCooldownShare"/> of the
/// post-warmup steps. The law is a regression on ∫η and ∫η'² features: outside the schedules it was
/// fitted on it extrapolates wildly (a cooldown of a few steps, or a near-jump from η1 to η2 in the
/// four-phase family, sends ∫η'² far beyond the fitted range and the prediction far below every
/// real loss), so the search stays inside them. The cooldown share is coded as a logistic and
/// searched by Nelder–Mead from a grid, for each cooldown shape. The divergence rule depends only on
/// the peak, the warmup and the horizon, so it is checked once: a peak the law predicts to diverge
/// has no optimum to report.
/// </summary>
public static class OptLawsScheduleSearch
{
    public const string Method = "family";

    public static (OptLawsSchedule Schedule, ScheduleOptimization Result) Optimize(OptLaw law, double modelSize, ScheduleProblem problem)
    {
        problem.ThrowIfInvalid();
        if (problem.WarmupSteps < 1)
        {
            throw new ArgumentException("warmup_steps: the Opt-Laws need a warmup (a1 > 0): their divergence rule divides by it");
        }

        var clock = Stopwatch.StartNew();
        var divergence = law.Divergence(new OptLawsRun(modelSize, Decode([0], problem, cosine: false)));
        if (divergence > 1)
        {
            throw new ArgumentException($"peak_lr: the Opt-Laws predict divergence at {problem.PeakLr:G4} with {problem.WarmupSteps} warmup steps (R = {divergence:G4} > 1); lower the peak or lengthen the warmup");
        }

        var evaluations = 0;
        var iterations = 0;
        var best = (Schedule: Decode([0], problem, false), Loss: double.PositiveInfinity);
        foreach (var cosine in new[] { false, true })
        {
            double Loss(Vector<double> code)
            {
                evaluations++;
                var schedule = Decode(code.AsArray(), problem, cosine);
                var loss = law.PredictLoss(new OptLawsRun(modelSize, schedule));
                if (loss < best.Loss)
                {
                    best = (schedule, loss);
                }

                return double.IsFinite(loss) ? loss : double.PositiveInfinity;
            }

            var grid = new[] { -4.0, -2.0, 0.0, 2.0, 4.0 }.Select(c => Vector<double>.Build.Dense(1, c));
            var start = grid.MinBy(Loss)!;
            try
            {
                iterations += new NelderMeadSimplex(1e-12, 2000).FindMinimum(ObjectiveFunction.Value(Loss), start, Vector<double>.Build.Dense(1, 1.0)).Iterations;
            }
            catch (MaximumIterationsException)
            {
                iterations += 2000; // the best point seen is kept
            }
        }

        var lr = best.Schedule.PerStep();
        var share = (problem.TotalSteps - best.Schedule.A3) / (problem.TotalSteps - problem.WarmupSteps);
        string[] warnings = share < MinimumCooldownShare + 0.005
            ? [$"the optimum sits on the edge of the searched family (a cooldown of {share:P0} of the post-warmup steps): the law would shorten the cooldown further, beyond the schedules it was fitted on"]
            : [];
        return (best.Schedule, new ScheduleOptimization(lr, best.Loss, iterations, evaluations, true, clock.Elapsed.TotalSeconds, Method) { Warnings = warnings });
    }

    /// <summary>The cooldown-share logit → plateau at the peak until a3, then the cooldown to 0.</summary>
    private static OptLawsSchedule Decode(ReadOnlySpan<double> code, ScheduleProblem problem, bool cosine)
    {
        double warmup = problem.WarmupSteps, post = problem.TotalSteps - warmup;
        var cooldown = MinimumCooldownShare + (1 - MinimumCooldownShare) / (1 + Math.Exp(-code[0]));
        var a3 = warmup + post * (1 - cooldown);
        return new OptLawsSchedule(problem.PeakLr, problem.PeakLr, warmup, warmup, Math.Clamp(a3, warmup, problem.TotalSteps), problem.TotalSteps, cosine);
    }

    /// <summary>
    /// The WSD baseline's cooldown share, so the family holds every baseline; Table 1's shortest
    /// cooldown is 37% of the post-warmup steps (row 7: from step 15,000 of 23,842).
    /// </summary>
    public const double MinimumCooldownShare = 0.2;
}
