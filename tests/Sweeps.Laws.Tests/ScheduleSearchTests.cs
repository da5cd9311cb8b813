using Sweeps.Core.Schedules;
using Sweeps.Laws.Curves;
using Sweeps.Laws.OptLaws;
using Sweeps.Laws.ScheduleSearch;
using Sweeps.Laws.Solvers;

namespace Sweeps.Laws.Tests;

public class LimitedMemoryBfgsTests
{
    [Fact]
    public void Finds_the_minimum_of_the_rosenbrock_function_in_many_dimensions()
    {
        // Σ 100(x_{i+1} − x_i²)² + (1 − x_i)²: minimum 0 at x = 1, a curved valley that defeats plain gradient descent.
        static double Rosenbrock(ReadOnlySpan<double> x, Span<double> gradient)
        {
            gradient.Clear();
            var value = 0.0;
            for (var i = 0; i + 1 < x.Length; i++)
            {
                double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
                value += 100 * a * a + b * b;
                gradient[i] += -400 * a * x[i] - 2 * b;
                gradient[i + 1] += 200 * a;
            }

            return value;
        }

        var start = Enumerable.Range(0, 50).Select(i => i % 2 == 0 ? -1.2 : 1.0).ToArray();
        var result = LimitedMemoryBfgs.Minimize(Rosenbrock, start, maxIterations: 5000, relativeTolerance: 0);

        Assert.True(result.Value < 1e-12, $"f = {result.Value} after {result.Iterations} iterations");
        Assert.All(result.Point, x => Assert.Equal(1, x, 1e-5));
    }

    [Fact]
    public void A_start_where_the_objective_is_not_finite_is_refused()
    {
        Assert.Throws<ArgumentException>(() => LimitedMemoryBfgs.Minimize((_, _) => double.NaN, [1.0], 10));
    }
}

public class StaircaseTests
{
    [Fact]
    public void Encoding_and_decoding_give_back_the_same_staircase()
    {
        var stairs = new Staircase([0.5, 0.8, 0.9], [0.3, 0.05, 0.01]);
        var back = Staircase.Decode(stairs.Encode());
        Assert.Equal(stairs.Starts, back.Starts, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(stairs.Levels, back.Levels, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Every_code_is_a_valid_non_increasing_schedule_that_starts_at_the_peak()
    {
        var problem = new ScheduleProblem(1000, 1e-3, 100);
        var random = new Random(3);
        var lr = problem.ConstantAfterWarmup();
        for (var trial = 0; trial < 100; trial++)
        {
            var code = Enumerable.Range(0, 2 * random.Next(1, 6)).Select(_ => 10 * random.NextDouble() - 5).ToArray();
            Staircase.Decode(code).Write(lr, problem);
            Assert.Equal(1e-3, lr[100]);
            Assert.Equal(1e-3 * (99 + 1) / 100, lr[99], 1e-15); // the warmup is left alone
            for (var s = 101; s < lr.Length; s++)
            {
                Assert.True(lr[s] <= lr[s - 1] && lr[s] > 0, $"step {s}");
            }
        }
    }
}

public class ConvexScheduleTests
{
    [Fact]
    public void The_final_bound_equals_the_naive_sum_and_its_gradient_matches_finite_differences()
    {
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Cosine, PeakLr = 1e-2, FinalLrRatio = 0.05, WarmupSteps = 20, TotalSteps = 300 });
        var gradient = new double[lr.Length];
        var loss = ConvexBound.FinalLoss(lr, 1.5, 2.0, 3.0, gradient);

        Assert.Equal(ConvexBound.BoundNaive(lr, lr.Length, 1.5, Math.Sqrt(2.0), Math.Sqrt(3.0)), loss, 1e-10);
        foreach (var j in new[] { 0, 1, 19, 20, 150, 298, 299 })
        {
            var h = 1e-7;
            var up = (double[])lr.Clone();
            var down = (double[])lr.Clone();
            up[j] += h;
            down[j] -= h;
            var numeric = (ConvexBound.FinalLoss(up, 1.5, 2.0, 3.0, []) - ConvexBound.FinalLoss(down, 1.5, 2.0, 3.0, [])) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[j]) <= 1e-5 * Math.Max(1, Math.Abs(numeric)), $"step {j}: numeric {numeric}, analytic {gradient[j]}");
        }
    }

    [Fact]
    public void Descent_on_the_convex_bound_beats_every_baseline_and_decays_towards_zero()
    {
        // Under the last-iterate bound the best schedules decay to (near) zero at the end (the
        // convex-dominance paper's point: linear decay to 0 beats cosine and WSD, and the optimum beats linear).
        var problem = new ScheduleProblem(2000, 1e-2, 100);
        double Loss(ReadOnlySpan<double> lr, Span<double> g) => ConvexBound.FinalLoss(lr, 1.0, 4.0, 100.0, g);
        var result = MonotoneDescent.Optimize(Loss, problem, problem.Baseline(new ScheduleSpec { Kind = ScheduleKind.Cosine, FinalLrRatio = 0.1 }));

        var linear = Loss(problem.Baseline(new ScheduleSpec { Kind = ScheduleKind.Linear, FinalLrRatio = 0 }), []);
        var cosine = Loss(problem.Baseline(new ScheduleSpec { Kind = ScheduleKind.Cosine, FinalLrRatio = 0 }), []);
        Assert.True(result.PredictedFinalLoss < linear && linear < cosine, $"optimum {result.PredictedFinalLoss}, linear {linear}, cosine {cosine}");
        Assert.True(result.FinalLrRatio(100) < 0.05, $"final ratio {result.FinalLrRatio(100)}");
        Assert.Equal(Loss(result.LearningRates, []), result.PredictedFinalLoss, 12);
    }
}

public class OptLawsScheduleSearchTests
{
    [Fact]
    public void The_optimum_is_no_worse_than_any_schedule_of_the_family_on_a_fine_grid()
    {
        // Table 1's 100B setting for 8×0.6B at peak 1e-3 with 2,000 warmup steps.
        var law = OptLaw.Published;
        var problem = new ScheduleProblem(23842, 1e-3, 2000);
        var (schedule, result) = OptLawsScheduleSearch.Optimize(law, 4.05e9, problem);

        var post = problem.TotalSteps - problem.WarmupSteps;
        foreach (var cosine in new[] { false, true })
        {
            for (var share = OptLawsScheduleSearch.MinimumCooldownShare; share <= 1; share += 0.01)
            {
                var a3 = problem.TotalSteps - share * post;
                var other = law.PredictLoss(new OptLawsRun(4.05e9, new OptLawsSchedule(1e-3, 1e-3, 2000, 2000, Math.Max(a3, 2000), problem.TotalSteps, cosine)));
                Assert.True(result.PredictedFinalLoss <= other + 1e-9, $"share {share}, cosine {cosine}: {other} < {result.PredictedFinalLoss}");
            }
        }

        Assert.Equal(law.PredictLoss(new OptLawsRun(4.05e9, schedule)), result.PredictedFinalLoss);
        Assert.Equal(problem.TotalSteps, result.LearningRates.Length);
    }

    [Fact]
    public void A_peak_the_law_predicts_to_diverge_is_refused_with_its_ratio()
    {
        // §4.2: 8×0.1B on 10B tokens diverges at 1.5e-2 with a short warmup (digest V4).
        var problem = new ScheduleProblem(2384, 1.5e-2, 10);
        var e = Assert.Throws<ArgumentException>(() => OptLawsScheduleSearch.Optimize(OptLaw.Published, 0.58e9, problem));
        Assert.Contains("diverge", e.Message);
    }
}
