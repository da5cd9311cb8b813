using Sweeps.Core.Schedules;

namespace Sweeps.Core.Tests;

/// <summary>Impossible schedules are refused with a message naming the key at fault.</summary>
public class ScheduleRejectionTests
{
    private static readonly ScheduleSpec Wsd = new()
    {
        Kind = ScheduleKind.Wsd,
        PeakLr = 1e-3,
        FinalLr = 1e-4,
        WarmupSteps = 100,
        DecayStart = 800,
        TotalSteps = 1000,
    };

    [Fact]
    public void A_valid_schedule_has_no_errors() => Assert.Empty(ScheduleValidator.Validate(Wsd));

    [Fact]
    public void Decay_start_beyond_total_steps_names_decay_start()
    {
        var error = Assert.Single(ScheduleValidator.Validate(Wsd with { DecayStart = 1200 }, "schedule"));
        Assert.Equal("schedule.decay_start", error.Path);
        Assert.Contains("beyond total_steps 1000", error.Message);
    }

    [Fact]
    public void Negative_peak_lr_names_peak_lr()
    {
        var error = Assert.Single(ScheduleValidator.Validate(Wsd with { PeakLr = -1e-3, FinalLr = null }));
        Assert.Equal("peak_lr", error.Path);
        Assert.Contains("must be > 0", error.Message);
    }

    [Fact]
    public void Warmup_as_long_as_training_names_warmup_steps()
    {
        var error = Assert.Single(ScheduleValidator.Validate(new ScheduleSpec { Kind = ScheduleKind.Cosine, PeakLr = 1, WarmupSteps = 1000, TotalSteps = 1000 }));
        Assert.Equal("warmup_steps", error.Path);
    }

    [Fact]
    public void Stages_out_of_order_name_the_stage()
    {
        var spec = new ScheduleSpec
        {
            Kind = ScheduleKind.Step,
            TotalSteps = 100,
            Stages = [new StepStage(60, Lr: 1.0), new StepStage(40, Lr: 0.5), new StepStage(100, Lr: 0.1)],
        };
        var error = Assert.Single(ScheduleValidator.Validate(spec));
        Assert.Equal("stages[1].until", error.Path);
        Assert.Contains("out of order", error.Message);
    }

    [Fact]
    public void Stages_that_stop_short_of_total_steps_are_refused()
    {
        var spec = new ScheduleSpec { Kind = ScheduleKind.Step, TotalSteps = 100, Stages = [new StepStage(60, Lr: 1.0)] };
        Assert.Equal("stages[0].until", Assert.Single(ScheduleValidator.Validate(spec)).Path);
    }

    [Fact]
    public void Final_lr_above_peak_is_refused() =>
        Assert.Equal("final_lr", Assert.Single(ScheduleValidator.Validate(Wsd with { FinalLr = 2e-3 })).Path);

    [Fact]
    public void Exponential_decay_to_zero_is_refused() =>
        Assert.Equal("final_lr", Assert.Single(ScheduleValidator.Validate(Wsd with { FinalLr = 0, DecayShape = DecayShape.Exponential })).Path);

    [Fact]
    public void Overlapping_wsd_s_windows_are_refused()
    {
        var spec = new ScheduleSpec
        {
            Kind = ScheduleKind.WsdS,
            PeakLr = 1,
            FinalLr = 0.1,
            TotalSteps = 100,
            Decays = [new DecayWindow(40, 60), new DecayWindow(50, 70)],
        };
        Assert.Equal("decays[1].start", Assert.Single(ScheduleValidator.Validate(spec)).Path);
    }

    [Fact]
    public void Table_of_the_wrong_length_is_refused() =>
        Assert.Equal("values", Assert.Single(ScheduleValidator.Validate(new ScheduleSpec { Kind = ScheduleKind.Table, TotalSteps = 4, Values = [0.1, 0.2] })).Path);

    [Fact]
    public void Evaluate_refuses_an_invalid_schedule_naming_the_key()
    {
        var error = Assert.Throws<ArgumentException>(() => Schedule.Evaluate(Wsd with { DecayStart = 5000 }));
        Assert.Contains("decay_start", error.Message);
    }
}
