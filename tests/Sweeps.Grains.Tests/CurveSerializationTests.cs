using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Sweeps.Contracts;
using Sweeps.Core.Curves;

namespace Sweeps.Grains.Tests;

/// <summary>A curve through Orleans' serializer (messages and grain state): every bit back, and curves stored by earlier versions still read.</summary>
public class CurveSerializationTests
{
    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(CurveSurrogate).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    [Fact]
    public void A_curve_comes_back_bit_for_bit_with_its_extra_metrics()
    {
        var random = new Random(3);
        var steps = Enumerable.Range(0, 200).Select(i => i * 37 + 1).ToArray();
        var loss = steps.Select(_ => random.NextDouble() * 4).ToArray();
        loss[17] = double.NaN; // a diverged point
        loss[18] = double.PositiveInfinity;
        var curve = new Curve(steps, steps.Select(s => 1e-3 / Math.Sqrt(s)).ToArray(), loss)
        {
            Extra = new Dictionary<string, double[]> { ["grad_norm"] = steps.Select(s => s * 1e-7).ToArray() },
        };

        var back = Serializer.Deserialize<Curve>(Serializer.SerializeToArray(curve))!;

        Assert.Equal(curve.Steps, back.Steps);
        Assert.Equal(curve.Lr.Select(BitConverter.DoubleToInt64Bits), back.Lr.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(curve.Loss.Select(BitConverter.DoubleToInt64Bits), back.Loss.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(curve.Extra["grad_norm"], back.Extra["grad_norm"]);
    }

    [Fact]
    public void An_empty_curve_round_trips()
    {
        var back = Serializer.Deserialize<Curve>(Serializer.SerializeToArray(new Curve([], [], [])))!;
        Assert.Empty(back.Steps);
        Assert.Empty(back.Extra);
    }

    [Fact]
    public void A_curve_stored_element_wise_by_an_earlier_version_is_still_read()
    {
        var stored = new CurveSurrogate { Steps = [1, 2], Lr = [0.1, 0.2], Loss = [3.0, 2.5], Extra = new() { ["acc"] = [0.5, 0.6] } };
        var roundTripped = Serializer.Deserialize<CurveSurrogate>(Serializer.SerializeToArray(stored));

        var curve = new CurveSurrogateConverter().ConvertFromSurrogate(roundTripped);

        Assert.Equal([1, 2], curve.Steps);
        Assert.Equal([0.1, 0.2], curve.Lr);
        Assert.Equal([3.0, 2.5], curve.Loss);
        Assert.Equal([0.5, 0.6], curve.Extra["acc"]);
    }

    [Fact]
    public void A_curve_stored_with_raw_int_steps_by_an_earlier_version_is_still_read()
    {
        var stored = new CurveSurrogate
        {
            StepBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes<int>([0, 10, 20]).ToArray(),
            LrBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes<double>([0.1, 0.1, 0.05]).ToArray(),
            LossBytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes<double>([3.0, 2.0, 1.5]).ToArray(),
        };

        var curve = new CurveSurrogateConverter().ConvertFromSurrogate(Serializer.Deserialize<CurveSurrogate>(Serializer.SerializeToArray(stored)));

        Assert.Equal([0, 10, 20], curve.Steps);
        Assert.Equal([0.1, 0.1, 0.05], curve.Lr);
        Assert.Equal([3.0, 2.0, 1.5], curve.Loss);
    }

    [Fact]
    public void Steps_of_any_order_and_size_survive_their_varint_deltas_and_typical_ones_take_a_byte_each()
    {
        int[] edges = [0, int.MaxValue, int.MinValue, -1, 1, int.MinValue, int.MaxValue, 0, 127, 128, -64, -65, 16_383, 16_384];
        Assert.Equal(edges, StepDeltas.Decode(StepDeltas.Encode(edges)));
        var random = new Random(9);
        for (var trial = 0; trial < 200; trial++)
        {
            var steps = Enumerable.Range(0, random.Next(0, 300)).Select(_ => random.Next(int.MinValue, int.MaxValue)).ToArray();
            Assert.Equal(steps, StepDeltas.Decode(StepDeltas.Encode(steps)));
        }

        var recorded = Enumerable.Range(0, 200).Select(i => i * 10).ToArray(); // 200 points of a 2,000-step run
        Assert.Equal(200, StepDeltas.Encode(recorded).Length);
        Assert.Throws<FormatException>(() => StepDeltas.Decode([0x80]));
    }
}
