using Sweeps.Core.Curves;
using Sweeps.Laws.Curves;
using Sweeps.Tests;

namespace Sweeps.Laws.Tests;

public class MultiPowerLawTests
{
    private static readonly string[] Train = ["cosine_24000", "constant_24000", "wsdcon_9"];
    private static readonly Lazy<CurveManifest> Manifest = new(() => CurveManifest.Load(RepositoryPaths.Mpl25mManifest).Manifest!);

    private static MplCurve Prepare(ManifestCurve c) => new(c.LearningRates, c.Curve.Steps);

    [Fact]
    public void Published_25M_parameters_reproduce_the_published_held_out_metrics()
    {
        // shared/data/README.md: mean R² 0.99880, PredE 0.00110, WorstE 0.00409 on the six held-out curves.
        var test = Manifest.Value.Curves.Where(c => !Train.Contains(c.Name)).ToList();
        var metrics = test.Select(c => FitMetrics.Of(c.Curve.Loss, MultiPowerLaw.Predict(MultiPowerLawParameters.Published25M, Prepare(c)))).ToList();

        Assert.Equal(0.99880, metrics.Average(m => m.R2), 1e-4);
        Assert.Equal(0.00110, metrics.Average(m => m.PredE), 1e-4);
        Assert.Equal(0.00409, metrics.Average(m => m.WorstE), 1e-4);
    }

    [Fact]
    public void Published_25M_parameters_reproduce_the_published_train_metrics()
    {
        var train = Manifest.Value.Curves.Where(c => Train.Contains(c.Name)).ToList();
        var metrics = train.Select(c => FitMetrics.Of(c.Curve.Loss, MultiPowerLaw.Predict(MultiPowerLawParameters.Published25M, Prepare(c)))).ToList();

        Assert.Equal(0.99888, metrics.Average(m => m.R2), 1e-4);
        Assert.Equal(0.00105, metrics.Average(m => m.PredE), 1e-4);
    }
}

public class MultiPowerLawFormulaTests
{
    // Table 4 "Cosine + 2-stage" row of the paper, the parameters of the digest's V2/V3 cases.
    private static readonly MultiPowerLawParameters CosTwoStage = new(3.147, 0.5272, 0.5032, 455.0, 6.276, 0.3622, 0.4172);

    [Fact]
    public void Indexing_matches_the_digests_worked_values_without_warmup()
    {
        // science/multi-power-law.md V2 (W = 0): η = [3e-4, 3e-4, 2e-4, 1e-4, 1e-4], L(1..5).
        double[] lr = [3e-4, 3e-4, 2e-4, 1e-4, 1e-4];
        double[] expected = [34.385342785553, 25.186903689472, 22.215851594096, 21.117661456944, 20.188859635748];
        var predictions = MultiPowerLaw.Predict(CosTwoStage, new MplCurve(lr, [0, 1, 2, 3, 4]));
        for (var t = 0; t < 5; t++)
        {
            Assert.Equal(expected[t], predictions[t], 1e-9);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(5840)]
    public void A_two_stage_schedule_follows_the_papers_closed_form(int x)
    {
        // Eq. (7): L0 + A(8000·η_A + x·η_B)^(−α) − B(η_A − η_B)(1 − (C·η_B^(1−γ)·x + 1)^(−β)).
        var lr = Enumerable.Repeat(3e-4, 8000).Concat(Enumerable.Repeat(9e-5, x)).ToArray();
        var p = CosTwoStage;
        var expected = p.L0 + p.A * Math.Pow(8000 * 3e-4 + x * 9e-5, -p.Alpha)
            - p.B * 2.1e-4 * (1 - Math.Pow(p.C * Math.Pow(9e-5, 1 - p.Gamma) * x + 1, -p.Beta));

        var prediction = MultiPowerLaw.Predict(p, new MplCurve(lr, [lr.Length - 1]))[0];

        Assert.Equal(expected, prediction, 1e-9);
    }

    [Fact]
    public void The_fast_sum_matches_the_naive_formula_on_a_cosine_with_warmup()
    {
        var lr = Core.Schedules.Schedule.Evaluate(new Core.Schedules.ScheduleSpec
        {
            Kind = Core.Schedules.ScheduleKind.Cosine,
            PeakLr = 3e-4,
            FinalLr = 3e-5,
            WarmupSteps = 200,
            TotalSteps = 3000,
        });
        int[] steps = [1, 199, 200, 201, 1500, 2999];
        var fast = MultiPowerLaw.Predict(MultiPowerLawParameters.Published25M, new MplCurve(lr, steps));
        for (var i = 0; i < steps.Length; i++)
        {
            Assert.Equal(MultiPowerLaw.PredictNaive(MultiPowerLawParameters.Published25M, lr, steps[i]), fast[i], 1e-11);
        }
    }

    [Fact]
    public void Analytic_gradient_matches_central_finite_differences()
    {
        var lr = Core.Schedules.Schedule.Evaluate(new Core.Schedules.ScheduleSpec
        {
            Kind = Core.Schedules.ScheduleKind.Wsd,
            PeakLr = 3e-4,
            FinalLr = 3e-5,
            WarmupSteps = 100,
            DecayStart = 700,
            DecayShape = Core.Schedules.DecayShape.Exponential,
            TotalSteps = 1000,
        });
        var curve = new MplCurve(lr, [150, 650, 999]);
        var p = MultiPowerLawParameters.Published25M;
        var gradients = new double[3 * 7];
        MultiPowerLaw.Evaluate(p, curve, new double[3], gradients);
        double[] values = [p.L0, p.A, p.Alpha, p.B, p.C, p.Beta, p.Gamma];
        for (var k = 0; k < 7; k++)
        {
            var h = 1e-6 * Math.Max(1, Math.Abs(values[k]));
            var plus = (double[])values.Clone();
            var minus = (double[])values.Clone();
            plus[k] += h;
            minus[k] -= h;
            var up = MultiPowerLaw.Predict(From(plus), curve);
            var down = MultiPowerLaw.Predict(From(minus), curve);
            for (var i = 0; i < 3; i++)
            {
                var numeric = (up[i] - down[i]) / (2 * h);
                Assert.True(Math.Abs(numeric - gradients[i * 7 + k]) <= 1e-6 * Math.Max(1, Math.Abs(numeric)),
                    $"{MultiPowerLawParameters.Names[k]} at point {i}: numeric {numeric}, analytic {gradients[i * 7 + k]}");
            }
        }
    }

    private static MultiPowerLawParameters From(double[] v) => new(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
}

public class MultiPowerLawFitTests
{
    private static readonly string[] Train = ["cosine_24000", "constant_24000", "wsdcon_9"];

    [Fact]
    public void Fit_on_the_papers_split_reaches_a_lower_objective_than_the_published_fit_and_predicts_held_out_curves()
    {
        var manifest = CurveManifest.Load(RepositoryPaths.Mpl25mManifest).Manifest!;
        MplObservation Observe(ManifestCurve c) => new(c.Name, new MplCurve(c.LearningRates, c.Curve.Steps), c.Curve.Loss);
        var train = manifest.Curves.Where(c => Train.Contains(c.Name)).Select(Observe).ToList();
        var test = manifest.Curves.Where(c => !Train.Contains(c.Name)).Select(Observe).ToList();

        var report = MultiPowerLawFit.Fit(train);

        // The published parameters come from early-stopped AdamW; the stated objective has a lower minimum.
        var published = MultiPowerLawFit.Objective(train, MultiPowerLawParameters.Published25M, FitMetrics.HuberDelta);
        Assert.True(report.Objective < published, $"objective {report.Objective} vs published {published}");
        var fitted = MultiPowerLawParameters.FromDictionary(report.Parameters);
        var metrics = test.Select(o => FitMetrics.Of(o.Loss, MultiPowerLaw.Predict(fitted, o.Curve))).ToList();
        // The paper's acceptance level for MPL on its held-out set (digest V12: R² ≥ 0.997).
        Assert.True(metrics.Average(m => m.R2) >= 0.997, $"held-out R² {metrics.Average(m => m.R2)}");
        Assert.True(metrics.Average(m => m.PredE) <= 0.002, $"held-out PredE {metrics.Average(m => m.PredE)}");
    }
}

public class MplFinalLossTests
{
    [Fact]
    public void Final_loss_equals_the_curve_prediction_at_the_last_step_and_its_gradient_matches_finite_differences()
    {
        var lr = Core.Schedules.Schedule.Evaluate(new Core.Schedules.ScheduleSpec
        {
            Kind = Core.Schedules.ScheduleKind.Cosine,
            PeakLr = 3e-4,
            FinalLr = 3e-5,
            WarmupSteps = 50,
            TotalSteps = 400,
        });
        var p = MultiPowerLawParameters.Published25M;
        var gradient = new double[lr.Length];

        var loss = MplFinalLoss.Evaluate(p, lr, gradient);

        Assert.Equal(MultiPowerLaw.PredictNaive(p, lr, lr.Length - 1), loss, 1e-12);
        foreach (var j in new[] { 0, 1, 49, 50, 51, 200, 398, 399 })
        {
            var h = 1e-9;
            var up = (double[])lr.Clone();
            var down = (double[])lr.Clone();
            up[j] += h;
            down[j] -= h;
            var numeric = (MplFinalLoss.Value(p, up) - MplFinalLoss.Value(p, down)) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[j]) <= 1e-5 * Math.Max(1, Math.Abs(numeric)), $"step {j}: numeric {numeric}, analytic {gradient[j]}");
        }
    }
}

public class MplScheduleOptimizerTests
{
    [Fact]
    public void The_optimum_for_the_25M_law_is_stable_then_decays_and_beats_cosine_and_wsd()
    {
        // The paper's §5 setting: 24,000 steps, 2,160 warmup, peak 3e-4; its claims (digest V8):
        // cosine − opt ≥ 0.02, opt below WSD with a 4,000-step exponential decay, end LR < peak/20,
        // one stable phase then the decay, late in training.
        var p = MultiPowerLawParameters.Published25M;
        var result = MplScheduleOptimizer.Optimize(p, new ScheduleSearch.ScheduleProblem(24000, 3e-4, 2160));

        var cosine = MplFinalLoss.Value(p, Core.Schedules.Schedule.Evaluate(new Core.Schedules.ScheduleSpec
        {
            Kind = Core.Schedules.ScheduleKind.Cosine,
            PeakLr = 3e-4,
            FinalLr = 3e-5,
            WarmupSteps = 2160,
            TotalSteps = 24000,
        }));
        var wsd = MplFinalLoss.Value(p, Core.Schedules.Schedule.Evaluate(new Core.Schedules.ScheduleSpec
        {
            Kind = Core.Schedules.ScheduleKind.Wsd,
            PeakLr = 3e-4,
            FinalLr = 3e-5,
            WarmupSteps = 2160,
            DecayStart = 20000,
            DecayShape = Core.Schedules.DecayShape.Exponential,
            TotalSteps = 24000,
        }));

        Assert.True(cosine - result.PredictedFinalLoss >= 0.02, $"cosine {cosine}, optimum {result.PredictedFinalLoss}");
        Assert.True(result.PredictedFinalLoss < wsd, $"wsd {wsd}, optimum {result.PredictedFinalLoss}");
        Assert.True(result.FinalLrRatio(2160) < 1.0 / 20, $"final LR ratio {result.FinalLrRatio(2160)}");
        var decayStart = result.DecayStart(2160);
        Assert.InRange((decayStart - 2160) / 21840.0, 0.6, 0.97); // where depends on the parameters (93% for these)
        for (var s = 2161; s < 24000; s++)
        {
            Assert.True(result.LearningRates[s] <= result.LearningRates[s - 1]);
        }
    }

    [Fact]
    public void The_staircase_search_ends_lower_than_the_published_adam_optimiser_and_than_per_step_descent()
    {
        // The published optimiser (Adam on LR decrements) and per-step L-BFGS both converge to smooth
        // decays; the law's minimiser is a staircase, so the staircase search must beat both on the
        // law's own objective. A shorter run than the paper's keeps the Adam reference quick.
        var p = MultiPowerLawParameters.Published25M;
        var problem = new ScheduleSearch.ScheduleProblem(6000, 3e-4, 500);
        var law = new MplFinalLoss(p, problem.TotalSteps);

        var staircase = MplScheduleOptimizer.Optimize(p, problem);
        var adam = PublishedScheduleAdam.Optimize(p, problem, steps: 2000);
        var descent = ScheduleSearch.MonotoneDescent.Optimize((lr, g) => law.Evaluate(lr, g), problem,
            problem.Baseline(new Core.Schedules.ScheduleSpec { Kind = Core.Schedules.ScheduleKind.Cosine, FinalLrRatio = 0.1 }));

        Assert.True(staircase.PredictedFinalLoss < adam.PredictedFinalLoss, $"staircase {staircase.PredictedFinalLoss}, adam {adam.PredictedFinalLoss}");
        Assert.True(staircase.PredictedFinalLoss < descent.PredictedFinalLoss, $"staircase {staircase.PredictedFinalLoss}, descent {descent.PredictedFinalLoss}");
        Assert.Equal(MplFinalLoss.Value(p, staircase.LearningRates), staircase.PredictedFinalLoss, 12);
        Assert.InRange(staircase.Stages!.Value, 1, 6);
        Assert.Equal(staircase.Stages.Value + 1, staircase.LearningRates.Skip(problem.WarmupSteps).Distinct().Count());
    }

    [Fact]
    public void The_loss_alone_skips_constant_steps_and_equals_the_full_evaluation()
    {
        var random = new Random(7);
        var p = MultiPowerLawParameters.Published25M;
        for (var trial = 0; trial < 20; trial++)
        {
            // Random staircases and random smooth decays, with and without warmup.
            var warmup = random.Next(0, 50);
            var lr = RandomSchedule(random, 300, warmup, staircase: trial % 2 == 0);
            var full = MplFinalLoss.Evaluate(p, lr, new double[lr.Length]);
            Assert.Equal(full, MplFinalLoss.Value(p, lr), 1e-12);
            Assert.Equal(MultiPowerLaw.PredictNaive(p, lr, lr.Length - 1), full, 1e-9); // Math.Pow term by term rounds differently
        }
    }

    /// <summary>A linear warmup to 3e-4, then a non-increasing LR: a few random drops, or a random decrement every step.</summary>
    private static double[] RandomSchedule(Random random, int steps, int warmup, bool staircase)
    {
        var lr = new double[steps];
        var eta = 3e-4;
        for (var s = 0; s < steps; s++)
        {
            if (s < warmup)
            {
                lr[s] = eta * (s + 1) / warmup;
                continue;
            }

            if (s > warmup && (!staircase || random.NextDouble() < 0.02))
            {
                eta *= staircase ? random.NextDouble() : 1 - 0.02 * random.NextDouble();
            }

            lr[s] = eta;
        }

        return lr;
    }
}
