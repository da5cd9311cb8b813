using Sweeps.Core.Schedules;

namespace Sweeps.Core.Tests;

/// <summary>Each kind at chosen steps against values worked out by hand from DESIGN.md's formulas.</summary>
public class ScheduleClosedFormTests
{
    private const double Tolerance = 1e-14;

    [Fact]
    public void Linear_warmup_rises_from_zero_at_step_0_to_peak_at_step_W_minus_1()
    {
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Constant, PeakLr = 3e-4, WarmupSteps = 2160, TotalSteps = 24000 });
        Assert.Equal(0.0, lr[0]);
        Assert.Equal(3e-4 * 1080 / 2159, lr[1080], Tolerance);
        Assert.Equal(3e-4, lr[2159], Tolerance);
        Assert.Equal(3e-4, lr[2160], Tolerance);
    }

    [Fact]
    public void Constant_warmup_holds_a_tenth_of_the_peak_by_default()
    {
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Constant, PeakLr = 1.0, Warmup = WarmupKind.Constant, WarmupSteps = 10, TotalSteps = 20 });
        Assert.All(lr[..10], v => Assert.Equal(0.1, v));
        Assert.All(lr[10..], v => Assert.Equal(1.0, v));
    }

    [Fact]
    public void Cosine_is_halfway_at_the_middle_of_the_decay_and_starts_at_peak()
    {
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Cosine, PeakLr = 1.0, FinalLr = 0.2, WarmupSteps = 0, Warmup = WarmupKind.None, TotalSteps = 100 });
        Assert.Equal(1.0, lr[0], Tolerance);
        Assert.Equal(0.6, lr[50], Tolerance); // 0.2 + 0.8/2·(1 + cos(π/2))
        Assert.Equal(0.2 + 0.4 * (1 + Math.Cos(Math.PI * 0.99)), lr[99], Tolerance);
    }

    [Fact]
    public void Linear_decays_to_final_lr_at_T()
    {
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Linear, PeakLr = 1.0, FinalLrRatio = 0.0, WarmupSteps = 10, TotalSteps = 110 });
        Assert.Equal(1.0, lr[10], Tolerance);
        Assert.Equal(0.5, lr[60], Tolerance);
        Assert.Equal(0.01, lr[109], Tolerance);
    }

    [Fact]
    public void Polynomial_of_power_2_is_a_quarter_of_peak_halfway()
    {
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Polynomial, PeakLr = 2.0, Power = 2, Warmup = WarmupKind.None, TotalSteps = 100 });
        Assert.Equal(0.5, lr[50], Tolerance);
    }

    [Theory]
    [InlineData(DecayShape.Linear, 0.01, 0.505)]
    [InlineData(DecayShape.Cosine, 0.0, 0.5)]
    [InlineData(DecayShape.Sqrt, 0.0, 0.29289321881345254)] // 1 − √½
    [InlineData(DecayShape.Exponential, 0.01, 0.1)]          // √(1 · 0.01)
    [InlineData(DecayShape.InverseLinear, 0.1, 0.18181818181818182)] // 1/(½ + ½/0.1)
    public void Wsd_holds_peak_until_decay_start_then_follows_its_shape(DecayShape shape, double final, double halfway)
    {
        var lr = Schedule.Evaluate(new ScheduleSpec
        {
            Kind = ScheduleKind.Wsd,
            PeakLr = 1.0,
            FinalLr = final,
            Warmup = WarmupKind.None,
            DecayStart = 80,
            DecayShape = shape,
            TotalSteps = 100,
        });
        Assert.Equal(1.0, lr[79]);
        Assert.Equal(1.0, lr[80], Tolerance);
        Assert.Equal(halfway, lr[90], 1e-12);
    }

    [Fact]
    public void Wsd_decay_fraction_sets_the_decay_start_from_the_end()
    {
        var spec = new ScheduleSpec { Kind = ScheduleKind.Wsd, PeakLr = 1.0, DecayFraction = 0.2, TotalSteps = 1000 };
        Assert.Equal(800, spec.ResolvedDecayStart);
        Assert.Equal(0.5, Schedule.Evaluate(spec)[900], Tolerance);
    }

    [Fact]
    public void Wsd_s_decays_in_each_window_and_returns_to_peak_after_it()
    {
        var lr = Schedule.Evaluate(new ScheduleSpec
        {
            Kind = ScheduleKind.WsdS,
            PeakLr = 1.0,
            FinalLr = 0.0,
            Warmup = WarmupKind.None,
            TotalSteps = 100,
            Decays = [new DecayWindow(40, 50), new DecayWindow(80, 100)],
        });
        Assert.Equal(1.0, lr[39]);
        Assert.Equal(0.5, lr[45], Tolerance);
        Assert.Equal(1.0, lr[50]);
        Assert.Equal(0.5, lr[90], Tolerance);
        Assert.Equal(0.05, lr[99], Tolerance);
    }

    [Fact]
    public void Step_holds_each_stage_until_its_until_step_exclusive()
    {
        var lr = Schedule.Evaluate(new ScheduleSpec
        {
            Kind = ScheduleKind.Step,
            WarmupSteps = 2,
            TotalSteps = 10,
            Stages = [new StepStage(5, Lr: 1.0), new StepStage(10, Lr: 0.3)],
        });
        Assert.Equal([0.0, 1.0, 1.0, 1.0, 1.0, 0.3, 0.3, 0.3, 0.3, 0.3], lr);
    }

    [Fact]
    public void Step_stage_lr_ratio_is_relative_to_peak()
    {
        var lr = Schedule.Evaluate(new ScheduleSpec
        {
            Kind = ScheduleKind.Step,
            PeakLr = 2.0,
            Warmup = WarmupKind.None,
            TotalSteps = 4,
            Stages = [new StepStage(2, LrRatio: 1.0), new StepStage(4, LrRatio: 0.25)],
        });
        Assert.Equal([2.0, 2.0, 0.5, 0.5], lr);
    }

    [Fact]
    public void Table_is_used_as_written()
    {
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Table, TotalSteps = 3, Values = [0.1, 0.3, 0.2] });
        Assert.Equal([0.1, 0.3, 0.2], lr);
    }
}
