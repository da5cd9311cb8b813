using Sweeps.Tests;

namespace Sweeps.Grains.Tests;

public sealed class ComputePoolTests
{
    [Fact]
    public async Task Waiting_work_is_served_in_turn_across_owners_and_in_order_within_each()
    {
        // One worker, held busy while a big sweep queues 20 kernels and then a small one queues 5.
        using var pool = new ComputePool(1);
        var gate = new ManualResetEventSlim();
        var order = new List<string>();
        var blocker = pool.RunAsync(_ => gate.Wait(TimeSpan.FromSeconds(30), CancellationToken.None), owner: "big");
        await Eventually.UntilAsync(() => Task.FromResult(pool.Queued), queued => queued == 1, "1 queued");
        var work = new List<Task>();
        foreach (var (owner, count) in new[] { ("big", 20), ("small", 5) })
        {
            for (var i = 0; i < count; i++)
            {
                var name = $"{owner}{i}";
                work.Add(pool.RunAsync(_ => { lock (order) { order.Add(name); } return 0; }, owner: owner));
            }
        }

        await Eventually.UntilAsync(() => Task.FromResult(pool.Queued), queued => queued == 26, "26 queued");
        gate.Set();
        await Task.WhenAll([blocker, .. work]);

        // Turns alternate while both wait: the small sweep is done after 10 kernels, not 25.
        Assert.Equal(["big0", "small0", "big1", "small1", "big2", "small2", "big3", "small3", "big4", "small4"], order.Take(10));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"big{i}"), order.Where(o => o.StartsWith("big")));
    }

    [Fact]
    public async Task No_more_kernels_run_at_once_than_there_are_workers_and_a_cancelled_waiter_gives_its_turn_away()
    {
        using var pool = new ComputePool(3);
        var running = 0;
        var most = 0;
        using var cancelled = new CancellationTokenSource();
        var gate = new ManualResetEventSlim();
        var blockers = Enumerable.Range(0, 3).Select(_ => pool.RunAsync(_ => gate.Wait(TimeSpan.FromSeconds(30), CancellationToken.None), owner: "a")).ToList();
        await Eventually.UntilAsync(() => Task.FromResult(pool.Queued), queued => queued == 3, "3 queued");
        var abandoned = pool.RunAsync(_ => 1, owner: "b", cancelled.Token);
        var work = Enumerable.Range(0, 30).Select(i => pool.RunAsync(_ =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            Thread.Sleep(2);
            Interlocked.Decrement(ref running);
            return i;
        }, owner: i % 2 == 0 ? "a" : "c")).ToList();

        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        gate.Set();

        Assert.Equal(Enumerable.Range(0, 30), await Task.WhenAll(work));
        await Task.WhenAll(blockers);
        Assert.InRange(most, 1, 3);
        Assert.Equal(0, pool.Queued);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }
}
