using Sweeps.Contracts;

namespace Sweeps.Grains.Tests;

public sealed class RecentRunFeedTests
{
    private static RunRecord Record(long index) => new(index, RunStatus.Succeeded, index / 10.0);

    [Fact]
    public void A_reader_gets_each_run_once_in_the_order_runs_finished()
    {
        var feed = new RecentRunFeed(capacity: 16, maxPerRead: 5);
        var start = feed.Read(Guid.Empty, 0);
        Assert.True(start.Gap);
        Assert.Equal(0, start.Sequence);

        var finishOrder = new long[] { 9, 2, 7, 3, 0, 11, 5, 1, 4, 8, 6, 10 };
        var seen = new List<long>();
        var position = start.Sequence;
        foreach (var batch in finishOrder.Chunk(4))
        {
            foreach (var index in batch)
            {
                feed.Append(Record(index));
            }

            // Reads of at most five: a reader catches up over several calls, never skipping or repeating.
            for (var page = feed.Read(start.Epoch, position); page.Runs.Count > 0; page = feed.Read(start.Epoch, position))
            {
                Assert.False(page.Gap);
                Assert.InRange(page.Runs.Count, 1, 5);
                seen.AddRange(page.Runs.Select(r => r.Index));
                position = page.Sequence;
            }
        }

        Assert.Equal(finishOrder, seen);
        Assert.Equal(finishOrder.Length, feed.Sequence);
    }

    [Fact]
    public void A_reader_that_fell_behind_the_ring_or_knows_another_activation_is_told_to_reread_the_ledger()
    {
        var feed = new RecentRunFeed(capacity: 8);
        for (var i = 0; i < 20; i++)
        {
            feed.Append(Record(i));
        }

        Assert.False(feed.Read(feed.Epoch, 12).Gap); // runs 13–20 are all still kept
        Assert.Equal(Enumerable.Range(12, 8).Select(i => (long)i), feed.Read(feed.Epoch, 12).Runs.Select(r => r.Index));
        Assert.True(feed.Read(feed.Epoch, 11).Gap); // run 12 was overwritten
        Assert.True(feed.Read(Guid.NewGuid(), 19).Gap); // another activation's numbering
        Assert.True(feed.Read(feed.Epoch, 21).Gap); // a position this feed never reached
        var gap = feed.Read(Guid.Empty, 0);
        Assert.Equal((feed.Epoch, 20L), (gap.Epoch, gap.Sequence));
        Assert.Empty(gap.Runs);
    }
}
