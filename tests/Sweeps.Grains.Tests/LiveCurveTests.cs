namespace Sweeps.Grains.Tests;

public class LiveCurveTests
{
    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 10)]
    [InlineData(10, 10)]
    [InlineData(11, 10)]
    [InlineData(401, 100)]
    [InlineData(1000, 3)]
    [InlineData(7, 1)]    // fewer than three asked: first, a middle and the latest still fit
    public void A_snapshot_keeps_at_most_the_points_asked_for_evenly_and_always_the_first_and_the_latest(int recorded, int maxPoints)
    {
        var live = new LiveCurve(index: 4, totalSteps: 10_000);
        for (var i = 0; i < recorded; i++)
        {
            live.Recorded(step: 10 * i, lr: 0.1, loss: 1.0 / (i + 1));
        }

        var snapshot = live.Snapshot(maxPoints);

        Assert.Equal(4, snapshot.Index);
        Assert.Equal(10_000, snapshot.TotalSteps);
        Assert.Equal(recorded == 0 ? 0 : 10 * (recorded - 1), snapshot.Step);
        Assert.InRange(snapshot.Curve.Count, Math.Min(recorded, 2), Math.Max(maxPoints, 3));
        Assert.Equal(recorded <= Math.Max(maxPoints, 3) ? recorded : snapshot.Curve.Count, snapshot.Curve.Count);
        if (recorded > 0)
        {
            Assert.Equal(0, snapshot.Curve.Steps[0]);
            Assert.Equal(10 * (recorded - 1), snapshot.Curve.Steps[^1]);
            // Points are the recorded ones, in order, at one stride (the latest excepted).
            Assert.All(snapshot.Curve.Steps.Zip(snapshot.Curve.Loss), p => Assert.Equal(1.0 / (p.First / 10 + 1), p.Second));
            var gaps = snapshot.Curve.Steps.Zip(snapshot.Curve.Steps.Skip(1), (a, b) => b - a).ToList();
            Assert.True(gaps.Count < 2 || gaps.SkipLast(1).Distinct().Count() == 1, "points are not evenly spaced");
        }
    }
}
