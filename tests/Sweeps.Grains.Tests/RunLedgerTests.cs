using Sweeps.Contracts;
using Sweeps.Grains.Ledger;

namespace Sweeps.Grains.Tests;

public sealed class RunLedgerTests
{
    private static RunRecord Record(long index, RunStatus status = RunStatus.Succeeded) =>
        new(index, status, FinalLoss: 1.0 / (index + 1), TotalSteps: 100, SimulatedSteps: index % 2 == 0 ? 100 : 40);

    [Fact]
    public async Task A_result_is_recorded_once_and_a_second_delivery_is_refused()
    {
        var ledger = new RunLedger(10, new MemoryPageStore(), pageSize: 4);

        Assert.True(await ledger.TryRecordAsync(Record(5)));
        Assert.False(await ledger.TryRecordAsync(Record(5, RunStatus.Failed)));

        Assert.Equal(1, ledger.Finished);
        Assert.Equal(RunStatus.Succeeded, Assert.Single(await ledger.ReadAsync(0, 100)).Status);
        Assert.Equal(1, ledger.Summary.Counts[RunStatus.Succeeded]);
        Assert.False(ledger.Summary.Counts.ContainsKey(RunStatus.Failed));
    }

    [Fact]
    public async Task What_is_shown_is_what_is_stored_so_a_crash_never_takes_progress_back()
    {
        var store = new MemoryPageStore();
        var ledger = new RunLedger(10, store, pageSize: 4);
        await ledger.TryRecordAsync(Record(0));
        await ledger.TryRecordAsync(Record(5, RunStatus.Diverged));
        Assert.Equal(0, ledger.Stored.Finished); // recorded, not yet stored
        await ledger.FlushAsync();
        Assert.Equal((2, 1, 1), (ledger.Stored.Finished, ledger.Stored.Counts[RunStatus.Succeeded], ledger.Stored.Counts[RunStatus.Diverged]));

        // Storage goes away: what is recorded now is not shown, because a crash would lose it.
        store.Unreachable = true;
        await ledger.TryRecordAsync(Record(1));
        await Assert.ThrowsAsync<TimeoutException>(ledger.FlushAsync);
        Assert.Equal((3, 2), (ledger.Summary.Finished, ledger.Stored.Finished));
        Assert.Equal((0.5, 1.0), (ledger.Summary.BestFinalLoss, ledger.Stored.BestFinalLoss)); // run 1's loss is not shown yet

        // The silo dies here: a new activation loads exactly what was shown, not less.
        var resumed = new RunLedger(10, store, pageSize: 4);
        await resumed.LoadAsync();
        Assert.Equal(ledger.Stored.Finished, resumed.Stored.Finished);
        Assert.Equal(ledger.Stored.TotalSteps, resumed.Stored.TotalSteps);
        Assert.Equal((ledger.Stored.BestFinalLoss, ledger.Stored.BestRunIndex), (resumed.Stored.BestFinalLoss, resumed.Stored.BestRunIndex));

        // Back again, the next flush writes the record that waited and shows it.
        store.Unreachable = false;
        await ledger.FlushAsync();
        Assert.Equal(3, ledger.Stored.Finished);
        Assert.Equal((0.5, 1), (ledger.Stored.BestFinalLoss, ledger.Stored.BestRunIndex));
    }

    [Fact]
    public async Task Finishing_a_grid_in_order_keeps_at_most_the_pages_in_use_in_memory()
    {
        // 10,000 runs in pages of 64, recorded in grid order with a flush every 50 results (≈ once a second).
        var store = new MemoryPageStore();
        var ledger = new RunLedger(10_000, store, pageSize: 64);
        var mostResident = 0;
        for (var index = 0L; index < 10_000; index++)
        {
            Assert.True(await ledger.TryRecordAsync(Record(index)));
            mostResident = Math.Max(mostResident, ledger.ResidentPages);
            if (index % 50 == 49)
            {
                await ledger.FlushAsync();
            }
        }

        await ledger.FlushAsync();
        await ledger.FlushAsync(); // untouched since the last flush: let go

        Assert.True(ledger.IsComplete);
        Assert.True(mostResident <= 3, $"{mostResident} pages were in memory at once");
        Assert.Equal(0, ledger.ResidentPages);
        Assert.Equal(10_000, store.StoredRecords);
        // Each page is written a handful of times (once per flush it was touched in), not once per result.
        Assert.True(store.Writes <= 2 * 10_000 / 50 + 157, $"{store.Writes} page writes");
    }

    [Fact]
    public async Task A_resumed_ledger_rebuilds_its_counts_from_the_pages_and_finds_the_gaps()
    {
        var store = new MemoryPageStore();
        var first = new RunLedger(1_000, store, pageSize: 32);
        var statuses = new[] { RunStatus.Succeeded, RunStatus.Diverged, RunStatus.Failed };
        var finished = Enumerable.Range(0, 1_000).Where(i => i % 7 != 3).Select(i => (long)i).ToList();
        foreach (var index in finished)
        {
            await first.TryRecordAsync(Record(index, statuses[index % 3]));
        }

        await first.FlushAsync();

        var resumed = new RunLedger(1_000, store, pageSize: 32);
        await resumed.LoadAsync();

        Assert.Equal(finished.Count, resumed.Finished);
        foreach (var status in statuses)
        {
            Assert.Equal(finished.Count(i => i % 3 == (int)Array.IndexOf(statuses, status)), resumed.Summary.Counts.GetValueOrDefault(status));
        }

        Assert.Equal(100L * finished.Count, resumed.Summary.TotalSteps);
        Assert.Equal(finished.Sum(i => i % 2 == 0 ? 100L : 40L), resumed.Summary.SimulatedSteps);
        // The gaps, in order, are exactly the runs that never finished.
        var gaps = new List<long>();
        for (var next = await resumed.NextUnfinishedAsync(0); next is { } gap; next = await resumed.NextUnfinishedAsync(gap + 1))
        {
            gaps.Add(gap);
        }

        Assert.Equal(Enumerable.Range(0, 1_000).Where(i => i % 7 == 3).Select(i => (long)i), gaps);
        Assert.False(await resumed.TryRecordAsync(Record(finished[^1])));
        Assert.True(await resumed.TryRecordAsync(Record(3)));
        await resumed.FlushAsync(); // its ETags came from the store: the write is accepted
    }

    [Fact]
    public async Task Complete_pages_are_skipped_and_pages_never_written_are_not_read()
    {
        var store = new MemoryPageStore();
        var ledger = new RunLedger(4_096, store, pageSize: 256);
        for (var index = 0L; index < 2_048; index++)
        {
            await ledger.TryRecordAsync(Record(index));
        }

        await ledger.FlushAsync();
        await ledger.FlushAsync();
        var resumed = new RunLedger(4_096, store, pageSize: 256);
        await resumed.LoadAsync();
        var readsAfterLoad = store.Reads;

        Assert.Equal(2_048, await resumed.NextUnfinishedAsync(0));
        Assert.False(await resumed.IsFinishedAsync(4_000));
        Assert.True(await resumed.IsFinishedAsync(17));
        Assert.Equal(readsAfterLoad, store.Reads);
    }

    [Fact]
    public async Task Reading_pages_through_returns_every_record_in_grid_order_from_memory_and_store_alike()
    {
        var store = new MemoryPageStore();
        var ledger = new RunLedger(500, store, pageSize: 16);
        var order = Enumerable.Range(0, 500).Select(i => (long)i).OrderBy(i => (i * 7919) % 500).ToList();
        foreach (var index in order.Take(400))
        {
            await ledger.TryRecordAsync(Record(index));
        }

        await ledger.FlushAsync();
        foreach (var index in order.Skip(400))
        {
            await ledger.TryRecordAsync(Record(index)); // some pages resident and dirty, others only in the store
        }

        var all = new List<long>();
        await foreach (var record in ledger.ReadAllAsync())
        {
            all.Add(record.Index);
        }

        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), all);
        Assert.Equal(Enumerable.Range(100, 5).Select(i => (long)i), (await ledger.ReadAsync(100, 5)).Select(r => r.Index));
        // Past the grid, however far (a reader's ?from= is a long): nothing, not an index out of range.
        foreach (var from in new[] { 500L, 16L * int.MaxValue, long.MaxValue })
        {
            Assert.Empty(await ledger.ReadAsync(from, 5));
        }
    }

    [Fact]
    public async Task The_best_run_is_the_lowest_finite_loss_of_a_succeeded_run_whatever_the_order_and_after_a_resume()
    {
        var random = new Random(7);
        var records = Enumerable.Range(0, 500).Select(i => new RunRecord(i, (i % 5) switch
        {
            0 => RunStatus.Diverged,
            1 => RunStatus.Failed,
            _ => RunStatus.Succeeded,
        }, FinalLoss: i % 11 == 0 ? double.NaN : Math.Round(random.NextDouble(), 2))).ToList();
        // Diverged and failed runs carry the lowest losses here: they must not win.
        records[5] = records[5] with { FinalLoss = -1 };
        records[6] = records[6] with { FinalLoss = double.NegativeInfinity };
        var expected = records.Where(r => r.Status == RunStatus.Succeeded && double.IsFinite(r.FinalLoss))
            .OrderBy(r => r.FinalLoss).ThenBy(r => r.Index).First();

        var store = new MemoryPageStore();
        var ledger = new RunLedger(records.Count, store, pageSize: 64);
        foreach (var record in records.OrderBy(_ => random.Next()))
        {
            await ledger.TryRecordAsync(record);
        }

        await ledger.FlushAsync();
        var resumed = new RunLedger(records.Count, store, pageSize: 64);
        await resumed.LoadAsync();

        Assert.Equal((expected.FinalLoss, expected.Index), (ledger.Summary.BestFinalLoss, ledger.Summary.BestRunIndex));
        Assert.Equal((expected.FinalLoss, expected.Index), (resumed.Summary.BestFinalLoss, resumed.Summary.BestRunIndex));
        Assert.True(double.IsNaN(new RunLedger(3, store).Summary.BestFinalLoss));
    }

    [Fact]
    public async Task A_page_write_whose_reply_was_lost_is_written_again_at_the_next_flush_and_nothing_is_lost()
    {
        var store = new MemoryPageStore();
        var ledger = new RunLedger(8, store, pageSize: 8);
        await ledger.TryRecordAsync(Record(0));
        store.LoseNextReply = true;
        await Assert.ThrowsAsync<TimeoutException>(ledger.FlushAsync);

        // The page in storage is newer than the ETag the ledger holds: without the merge every flush fails from here on.
        await ledger.TryRecordAsync(Record(1));
        await ledger.FlushAsync();
        await ledger.TryRecordAsync(Record(2));
        await ledger.FlushAsync();

        var resumed = new RunLedger(8, store, pageSize: 8);
        await resumed.LoadAsync();
        Assert.Equal([0L, 1, 2], (await resumed.ReadAsync(0, 8)).Select(r => r.Index));
        Assert.Equal(3, ledger.Finished);
    }

    [Fact]
    public async Task Two_ledgers_writing_one_page_keep_the_union_of_their_records()
    {
        // A split brain: two activations of one sweep, each recording what its runs reported.
        var store = new MemoryPageStore();
        var first = new RunLedger(8, store, pageSize: 8);
        var second = new RunLedger(8, store, pageSize: 8);
        await first.TryRecordAsync(Record(0));
        await first.TryRecordAsync(Record(3));
        await second.TryRecordAsync(Record(3, RunStatus.Diverged));
        await second.TryRecordAsync(Record(5));
        await first.FlushAsync();
        await second.FlushAsync();

        var resumed = new RunLedger(8, store, pageSize: 8);
        await resumed.LoadAsync();
        var records = await resumed.ReadAsync(0, 8);
        Assert.Equal([0L, 3, 5], records.Select(r => r.Index));
        Assert.Equal(RunStatus.Diverged, records[1].Status); // the writer that merged keeps its own record of a run both had
        Assert.Equal(3, second.Finished); // and counts the records it merged in
    }

    [Fact]
    public async Task A_record_outside_the_grid_is_refused()
    {
        var ledger = new RunLedger(10, new MemoryPageStore(), pageSize: 4);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await ledger.TryRecordAsync(Record(10)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await ledger.TryRecordAsync(Record(-1)));
    }
}
