using Sweeps.Laws.OptLaws;

namespace Sweeps.Laws.Tests;

/// <summary>Expected values: the Opt-Laws paper's Table 1 and §4.2, and the digest's derived cases (V1, V2, V4, V8).</summary>
public class OptLawsTests
{
    private const double StepsPer = 1e9 / (2048.0 * 2048.0); // steps per billion tokens

    private static OptLawsRun Linear(double parametersB, double tokensB, double peak, double warmup) =>
        new(parametersB * 1e9, OptLawsSchedule.WarmupCooldown(peak, warmup, tokensB * StepsPer));

    [Theory]
    [InlineData(4.05, 300, 1e-3, 500, 1.984)]
    [InlineData(4.05, 300, 6e-3, 2000, 1.995)]
    [InlineData(1.90, 300, 6e-3, 500, 2.073)]
    [InlineData(4.05, 100, 1e-3, 2000, 2.078)]
    public void Published_law_reproduces_table_1_warmup_cooldown_rows_within_0_1_percent(double n, double tokens, double peak, double warmup, double predicted)
    {
        var loss = OptLaw.Published.PredictLoss(Linear(n, tokens, peak, warmup));
        Assert.True(Math.Abs(loss / predicted - 1) < 1e-3, $"{loss} vs the paper's {predicted}");
    }

    [Fact]
    public void Features_of_table_1_row_1_match_the_digests_intermediate_values()
    {
        double[] expected = [14.305, 0.1007, 0.79914, 1.0876, 1.4919e-05, 0.21456, 0.062149, 0.16938, 0.18444, 0.13382, 0.34714, 0.16506, 0.70491, 0.24028, 0.58181, 1];
        var features = OptLaw.Published.Features(Linear(4.05, 300, 1e-3, 500));
        for (var j = 0; j < 16; j++)
        {
            Assert.True(Math.Abs(features[j] / expected[j] - 1) < 5e-4, $"F[{j}] = {features[j]}, digest {expected[j]}");
        }

        Assert.Equal(1.98296, OptLaw.Published.PredictLoss(Linear(4.05, 300, 1e-3, 500)), 1e-5);
    }

    [Fact]
    public void Constant_then_cooldown_row_uses_the_tables_segment_rule()
    {
        // Table 1 row 4: η 6e-4, warmup 1200 steps, constant until 10000, 100B tokens, N = 4.05 (digest V2: 2.07828).
        var run = new OptLawsRun(4.05e9, OptLawsSchedule.WarmupConstantCooldown(6e-4, 1200, 10000, 100 * StepsPer));
        Assert.Equal(2.07828, OptLaw.Published.PredictLoss(run), 1e-5);
    }

    [Theory]
    [InlineData(256, 6e-3, 0.3635, false)]
    [InlineData(256, 9e-3, 1.385, true)]
    [InlineData(512, 9e-3, 0.3463, false)]
    [InlineData(512, 6e-3, 0.09089, false)]
    public void Divergence_rule_classifies_the_papers_8x0_1B_runs(double warmup, double peak, double r, bool diverges)
    {
        var run = Linear(0.58, 10, peak, warmup);
        Assert.Equal(r, OptLaw.Published.Divergence(run), r * 1e-3);
        Assert.Equal(diverges, OptLaw.Published.Diverges(run));
        Assert.Equal(diverges, OptLaw.Published.PredictLoss(run) == OptLaw.DivergedLoss);
    }

    [Fact]
    public void Schedule_integrals_match_their_closed_forms()
    {
        // h = 1, cooldown of length 1: linear ∫η'² = 1, cosine π²/8; both ∫η = 1/2 (digest V8).
        var linear = OptLawsSchedule.WarmupCooldown(1, 1, 2);
        var cosine = OptLawsSchedule.WarmupCooldown(1, 1, 2, cosine: true);
        Assert.Equal(1.0, linear.IntegralOfSlopeSquared(1, 2), 1e-14);
        Assert.Equal(Math.PI * Math.PI / 8, cosine.IntegralOfSlopeSquared(1, 2), 1e-14);
        Assert.Equal(0.5, linear.IntegralOfLr(1, 2), 1e-14);
        Assert.Equal(0.5, cosine.IntegralOfLr(1, 2), 1e-14);
        var wsd = OptLawsSchedule.WarmupConstantCooldown(2, 1, 3, 5);
        Assert.Equal(2 * (3 - 1) + 2 * (5 - 3) / 2.0, wsd.IntegralOfLr(1, 5), 1e-14);
    }

    [Fact]
    public void Refitting_losses_generated_by_the_published_law_gives_its_coefficients_back()
    {
        var runs = (from n in new[] { 0.17, 0.58, 1.9, 4.05 }
                    from tokens in new[] { 10.0, 30, 100, 300 }
                    from peak in new[] { 1e-3, 3e-3, 6e-3 }
                    from warmup in new[] { 500.0, 1000, 2000 }
                    let run = Linear(n, tokens, peak, warmup)
                    where !OptLaw.Published.Diverges(run)
                    select (run, OptLaw.Published.PredictLoss(run))).ToList();

        var refit = OptLaw.Refit(runs);

        foreach (var (run, loss) in runs)
        {
            Assert.Equal(loss, refit.PredictLoss(run), 1e-9);
        }
    }
}
