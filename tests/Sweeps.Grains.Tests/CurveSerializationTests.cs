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
}
