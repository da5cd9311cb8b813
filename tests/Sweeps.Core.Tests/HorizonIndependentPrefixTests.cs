using Sweeps.Core.Schedules;

namespace Sweeps.Core.Tests;

public sealed class HorizonIndependentPrefixTests
{
    private static int PrefixOf(ScheduleSpec spec) => HorizonIndependentPrefix.Of(spec, Schedule.Evaluate(spec));

    [Fact]
    public void A_constant_schedule_is_the_prefix_of_every_longer_one()
    {
        Assert.Equal(1000, PrefixOf(new ScheduleSpec { Kind = ScheduleKind.Constant, PeakLr = 0.1, WarmupSteps = 100, TotalSteps = 1000 }));
    }

    [Fact]
    public void A_cosine_depends_on_its_horizon_from_the_first_step_after_warmup()
    {
        // cos(π·0) = 1 at step W for every horizon; from W + 1 the phase (s − W)/(T − W) moves with T.
        Assert.Equal(101, PrefixOf(new ScheduleSpec { Kind = ScheduleKind.Cosine, PeakLr = 0.1, FinalLrRatio = 0.1, WarmupSteps = 100, TotalSteps = 1000 }));
    }

    [Fact]
    public void A_wsd_shares_its_warmup_and_stable_phase()
    {
        // decay_fraction 0.2 of 1,000 steps: the decay starts at step 800, at 1,600 for a run twice as long.
        var prefix = PrefixOf(new ScheduleSpec { Kind = ScheduleKind.Wsd, PeakLr = 0.1, DecayFraction = 0.2, FinalLrRatio = 0, WarmupSteps = 100, TotalSteps = 1000 });
        Assert.InRange(prefix, 800, 801);
    }

    [Fact]
    public void A_table_has_no_longer_form_and_counts_as_shareable_whole()
    {
        var spec = new ScheduleSpec { Kind = ScheduleKind.Table, Values = [0.3, 0.2, 0.1], Warmup = WarmupKind.None, TotalSteps = 3 };
        Assert.Equal(3, PrefixOf(spec));
    }
}
