using Sweeps.Core.Schedules;
using Sweeps.Laws.Curves;

namespace Sweeps.Laws.Tests;

public class MplBlockSumTests
{
    [Theory]
    [InlineData(32)]
    [InlineData(100)]
    [InlineData(4096)]
    public void Block_rule_sums_polynomials_below_degree_eight_exactly(int length)
    {
        // Σ_{t<L} p(t) by the rule against the sum term by term, for p(t) = ((t − c)/L)^k, k = 0..7.
        var rule = BlockRule.For(length);
        for (var k = 0; k < BlockRule.NodeCount; k++)
        {
            double Term(int t) => Math.Pow((t - 0.37 * length) / length, k);
            var exact = Enumerable.Range(0, length).Sum(Term);
            var byRule = rule.Offsets.Select((t, i) => rule.Weights[i] * Term(t)).Sum();
            Assert.True(Math.Abs(byRule - exact) <= 1e-12 * Math.Max(1, Math.Abs(exact)), $"degree {k}: {byRule} against {exact}");
        }
    }

    public static TheoryData<string> Schedules => ["cosine", "wsd-exponential", "linear", "step", "jagged-table"];

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Predictions_with_block_sums_match_the_formula_term_by_term(string schedule)
    {
        // The reference is the law written out term by term (MultiPowerLaw.PredictNaive), for
        // parameters drawn over the range fits visit, on smooth schedules (summed by blocks) and a
        // jagged one (summed term by term).
        var lr = Schedule(schedule);
        var steps = Enumerable.Range(0, 40).Select(i => (int)((long)(lr.Length - 1) * (i + 1) / 40)).ToArray();
        var curve = new MplCurve(lr, steps);
        var random = new Random(11);
        for (var draw = 0; draw < 8; draw++)
        {
            var p = new MultiPowerLawParameters(3, 0.5, 0.3 + 0.4 * random.NextDouble(), 100 + 900 * random.NextDouble(),
                Math.Exp(6 * random.NextDouble() - 3), 0.1 + 1.2 * random.NextDouble(), 0.1 + 0.9 * random.NextDouble());
            var fast = MultiPowerLaw.Predict(p, curve);
            for (var i = 0; i < steps.Length; i++)
            {
                var naive = MultiPowerLaw.PredictNaive(p, lr, steps[i]);
                Assert.True(Math.Abs(fast[i] - naive) <= 1e-12 * Math.Abs(naive), $"{schedule} draw {draw} step {steps[i]}: {fast[i]} against {naive}");
            }
        }
    }

    [Fact]
    public void Block_sums_of_the_gradient_terms_match_the_sums_term_by_term()
    {
        var lr = Schedule("cosine");
        var curve = new MplCurve(lr, [lr.Length - 1]);
        var p = MultiPowerLawParameters.Published25M;
        var scale = curve.LogLr.Select(l => p.C * Math.Exp(-p.Gamma * l)).ToArray();
        var area = curve.AreaAt[0];

        var blocks = MultiPowerLaw.DropSums(curve, scale, area, curve.ChangesUpTo[0], p.Beta, p.Gamma);
        var exact = MultiPowerLaw.ExactDropSums(curve, scale, area, curve.ChangesUpTo[0], p.Beta);

        Assert.Equal(exact.Drop, blocks.Drop, Math.Abs(exact.Drop) * 1e-11);
        Assert.Equal(exact.BetaTerm, blocks.BetaTerm, Math.Abs(exact.BetaTerm) * 1e-11);
        Assert.Equal(exact.Saturation, blocks.Saturation, Math.Abs(exact.Saturation) * 1e-11);
        Assert.Equal(exact.GammaTerm, blocks.GammaTerm, Math.Abs(exact.GammaTerm) * 1e-11);
    }

    private static double[] Schedule(string name) => name switch
    {
        "cosine" => Core.Schedules.Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Cosine, PeakLr = 3e-4, FinalLr = 3e-5, WarmupSteps = 2160, TotalSteps = 24000 }),
        "wsd-exponential" => Core.Schedules.Schedule.Evaluate(new ScheduleSpec
        {
            Kind = ScheduleKind.Wsd,
            PeakLr = 3e-4,
            FinalLr = 3e-5,
            WarmupSteps = 500,
            DecayStart = 8000,
            DecayShape = DecayShape.Exponential,
            TotalSteps = 12000,
        }),
        "linear" => Core.Schedules.Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Linear, PeakLr = 1e-3, FinalLr = 0, WarmupSteps = 100, TotalSteps = 6000 }),
        "step" => [.. Enumerable.Range(0, 9000).Select(s => s < 3000 ? 3e-4 * (s + 1) / 3000 : s < 6000 ? 3e-4 : 9e-5)],
        _ => [.. Enumerable.Range(0, 5000).Select(s => 3e-4 * (0.5 + 0.5 * new Random(s).NextDouble()))],
    };
}
