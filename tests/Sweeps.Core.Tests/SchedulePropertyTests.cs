using CsCheck;
using Sweeps.Core.Schedules;

namespace Sweeps.Core.Tests;

/// <summary>Properties every valid schedule of every kind must have, over random valid schedules (CsCheck).</summary>
public class SchedulePropertyTests
{
    private static readonly Gen<ScheduleSpec> ValidSchedules =
        from kind in Gen.Enum<ScheduleKind>()
        from total in Gen.Int[2, 3000]
        from warmupKind in Gen.Enum<WarmupKind>()
        from warmupDraw in Gen.Int[0, 2999]
        from peak in Gen.Double[1e-5, 10]
        from finalRatio in Gen.Double[0.01, 1]
        from shape in Gen.Enum<DecayShape>()
        from power in Gen.Double[0.1, 4]
        from cuts in Gen.Int[0, 3000].Array[1, 4]
        from levels in Gen.Double[1e-5, 10].Array[4]
        from table in Gen.Double[0, 10].Array[3000]
        select Build(kind, total, warmupKind, warmupDraw, peak, finalRatio, shape, power, cuts, levels, table);

    [Fact]
    public void Every_valid_schedule_passes_validation() =>
        ValidSchedules.Sample(spec => Assert.Empty(ScheduleValidator.Validate(spec)), iter: 2000);

    [Fact]
    public void Length_is_total_steps_and_values_are_finite() =>
        ValidSchedules.Sample(spec =>
        {
            var lr = Schedule.Evaluate(spec);
            Assert.Equal(spec.TotalSteps, lr.Length);
            Assert.All(lr, v => Assert.True(double.IsFinite(v)));
        }, iter: 2000);

    [Fact]
    public void Values_stay_within_zero_and_the_peak_and_decays_stay_above_final() =>
        ValidSchedules.Sample(spec =>
        {
            var lr = Schedule.Evaluate(spec);
            var peak = spec.Kind switch
            {
                ScheduleKind.Step => spec.Stages.Max(spec.ResolveStageLr),
                ScheduleKind.Table => spec.Values.Max(),
                _ => spec.PeakLr!.Value,
            };
            Assert.All(lr, v => Assert.InRange(v, 0, peak * (1 + 1e-12)));
            if (spec.Kind is ScheduleKind.Cosine or ScheduleKind.Linear or ScheduleKind.Wsd or ScheduleKind.WsdS)
            {
                Assert.All(lr[spec.EffectiveWarmupSteps..], v => Assert.True(v >= spec.ResolvedFinal * (1 - 1e-12), $"{v} < final {spec.ResolvedFinal}"));
            }
        }, iter: 2000);

    [Fact]
    public void Linear_warmup_never_decreases() =>
        ValidSchedules.Where(s => s.Warmup == WarmupKind.Linear).Sample(spec =>
        {
            var lr = Schedule.Evaluate(spec);
            for (var s = 1; s < spec.EffectiveWarmupSteps; s++)
            {
                Assert.True(lr[s] >= lr[s - 1]);
            }
        }, iter: 2000);

    [Fact]
    public void Every_value_including_the_last_matches_the_closed_form() =>
        ValidSchedules.Sample(spec =>
        {
            var lr = Schedule.Evaluate(spec);
            for (var s = 0; s < lr.Length; s++)
            {
                var expected = ScheduleReference.At(spec, s);
                Assert.True(Math.Abs(lr[s] - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"step {s}: {lr[s]} vs {expected} for {spec}");
            }
        }, iter: 500);

    [Fact]
    public void The_first_steps_evaluated_alone_are_those_of_the_whole_schedule_bit_for_bit() =>
        ValidSchedules.Select(Gen.Int[0, 3100], (spec, steps) => (spec, steps)).Sample(draw =>
        {
            var whole = Schedule.Evaluate(draw.spec);
            var first = Schedule.EvaluateFirst(draw.spec, draw.steps);
            Assert.Equal(Math.Min(draw.steps, whole.Length), first.Length);
            Assert.True(whole.AsSpan(0, first.Length).SequenceEqual(first), $"first {draw.steps} steps differ for {draw.spec}");
        }, iter: 2000);

    [Fact]
    public void The_horizon_independent_prefix_is_where_the_whole_twice_as_long_schedule_first_differs() =>
        ValidSchedules.Sample(spec =>
        {
            // The definition, computed the expensive way: the longer schedule evaluated in full.
            var lr = Schedule.Evaluate(spec);
            var longer = spec with { TotalSteps = 2 * spec.TotalSteps };
            var expected = ScheduleValidator.Validate(longer).Count > 0
                ? lr.Length
                : lr.AsSpan().CommonPrefixLength(Schedule.Evaluate(longer).AsSpan(0, lr.Length));
            Assert.Equal(expected, HorizonIndependentPrefix.Of(spec, lr));
        }, iter: 2000);

    private static ScheduleSpec Build(
        ScheduleKind kind, int total, WarmupKind warmupKind, int warmupDraw, double peak, double finalRatio,
        DecayShape shape, double power, int[] cuts, double[] levels, double[] table)
    {
        if (kind == ScheduleKind.Table)
        {
            return new ScheduleSpec { Kind = kind, Warmup = WarmupKind.None, TotalSteps = total, Values = table[..total] };
        }

        var warmup = warmupKind == WarmupKind.None ? 0 : warmupDraw % total;
        var points = cuts.Select(c => warmup + c % (total - warmup + 1)).Distinct().Order().ToArray();
        var spec = new ScheduleSpec
        {
            Kind = kind,
            TotalSteps = total,
            Warmup = warmupKind,
            WarmupSteps = warmup,
            PeakLr = peak,
            FinalLrRatio = finalRatio,
            DecayShape = shape,
            Power = power,
        };
        return kind switch
        {
            ScheduleKind.Wsd => spec with { DecayStart = points[0] },
            ScheduleKind.WsdS => spec with
            {
                Decays = points.Append(total).Distinct().Order().Chunk(2).Where(p => p.Length == 2).Select(p => new DecayWindow(p[0], p[1])).ToArray() is { Length: > 0 } windows
                    ? windows
                    : [new DecayWindow(warmup, total)],
            },
            ScheduleKind.Step => spec with
            {
                Stages = points.Where(p => p > warmup).Append(total).Distinct().Order()
                    .Select((until, i) => new StepStage(until, Lr: levels[Math.Min(i, levels.Length - 1)])).ToArray(),
            },
            _ => spec,
        };
    }
}
