using Sweeps.Contracts;
using Sweeps.Laws;

namespace Sweeps.Grains.Tests;

public sealed class FinalLossSampleTests
{
    private static FinalLossPoint Point(int i) => new(ModelSize: i % 7, TotalSteps: 100, PeakLr: 0.1, WarmupSteps: 0, Schedule: "cosine", Seed: i, FinalLoss: i);

    [Fact]
    public void Up_to_its_capacity_it_keeps_every_point_in_order()
    {
        var sample = new FinalLossSample(capacity: 100);
        for (var i = 0; i < 100; i++)
        {
            sample.Add(Point(i));
        }

        Assert.Equal(Enumerable.Range(0, 100), sample.Points.Select(p => p.Seed));
        Assert.False(sample.IsSampled);
        Assert.Null(sample.Note);
    }

    [Fact]
    public void Past_its_capacity_it_keeps_a_uniform_sample_the_same_every_time()
    {
        const int capacity = 2_000, offered = 200_000;
        var first = new FinalLossSample(capacity);
        var second = new FinalLossSample(capacity);
        for (var i = 0; i < offered; i++)
        {
            first.Add(Point(i));
            second.Add(Point(i));
        }

        Assert.Equal(capacity, first.Points.Count);
        Assert.Equal(first.Points.Select(p => p.Seed), second.Points.Select(p => p.Seed)); // deterministic
        Assert.Equal(capacity, first.Points.Select(p => p.Seed).Distinct().Count());
        Assert.Equal("fitted on a uniform sample of 2,000 of the 200,000 finished runs", first.Note);

        // Uniform over the stream: each tenth of it holds a tenth of the sample (binomial, σ ≈ 13.4; 5σ bounds),
        // and every residue of a period the grid could have (7 here) is represented alike.
        var tenths = first.Points.GroupBy(p => p.Seed / (offered / 10)).Select(g => g.Count()).ToList();
        Assert.Equal(10, tenths.Count);
        Assert.All(tenths, count => Assert.InRange(count, 200 - 67, 200 + 67));
        var residues = first.Points.GroupBy(p => p.ModelSize).Select(g => g.Count()).ToList();
        Assert.All(residues, count => Assert.InRange(count, 2000 / 7 - 80, 2000 / 7 + 80));
    }
}
