using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Core.Specs;
using Sweeps.Grains.Dispatch;
using Sweeps.Grains.Ledger;

namespace Sweeps.Grains.Tests;

public sealed class DispatchWindowTests
{
    private static async Task<RunLedger> LedgerWithAsync(long totalRuns, params long[] finished)
    {
        var ledger = new RunLedger(totalRuns, new MemoryPageStore(), pageSize: 4);
        foreach (var index in finished)
        {
            Assert.True(await ledger.TryRecordAsync(new RunRecord(index, RunStatus.Succeeded, 1.0, 100, 100)));
        }

        return ledger;
    }

    private static async Task<List<long>> TakeAllAsync(DispatchWindow window)
    {
        var taken = new List<long>();
        while (await window.TakeAsync() is { } unit)
        {
            taken.Add(unit);
        }

        return taken;
    }

    [Fact]
    public async Task Runs_are_taken_in_grid_order_past_the_finished_ones_and_a_failed_one_goes_again_first()
    {
        var window = new DispatchWindow(await LedgerWithAsync(10, 2, 3, 7), taskSize: 1);

        var taken = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            taken.Add((await window.TakeAsync())!.Value);
        }

        Assert.Equal([0L, 1, 4, 5], taken);
        Assert.Equal(4, window.Count);
        window.Reported(1);
        window.Failed(4);
        Assert.Equal([0L, 5], window.InFlight);

        // The failed run comes back before the cursor's next; then the rest, and then nothing: each once.
        Assert.Equal([4L, 6, 8, 9], await TakeAllAsync(window));
        Assert.Equal([0L, 4, 5, 6, 8, 9], window.InFlight);
        window.Failed(1); // not in flight (it reported): nothing goes back in line
        Assert.Null(await window.TakeAsync());
    }

    [Fact]
    public async Task A_stopping_sweeps_runs_are_taken_in_its_dispatch_order_past_the_finished_ones()
    {
        // 2 model sizes × 3 peak LRs: in grid order r0–r2 are the small model's, r3–r5 the large one's; a stopping
        // sweep alternates them (model size innermost).
        var grid = new SweepGrid(new SweepSpecParser(Kernels.KernelCatalog.Default).Parse("""
            name: order
            simulator: quadratic
            grid: {peak_lr: [0.01, 0.1, 1.0], model_size: [8, 32], total_steps: [100]}
            adaptive: {stop: median}
            """).Spec!);
        var window = new DispatchWindow(await LedgerWithAsync(6, 3), taskSize: 1, DispatchOrder.For(grid));

        var first = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            first.Add((await window.TakeAsync())!.Value);
        }

        Assert.Equal([0L, 1, 4], first); // r3 has finished
        window.Failed(1);
        Assert.Equal([1L, 2, 5], await TakeAllAsync(window));
    }

    [Fact]
    public async Task A_task_is_one_unit_taken_while_any_of_its_runs_is_unfinished_and_skipped_when_all_finished_meanwhile()
    {
        var ledger = await LedgerWithAsync(10, 0, 1, 2, 3, 5);
        var window = new DispatchWindow(ledger, taskSize: 4);

        // Units 0 (runs 0–3), 4 (runs 4–7), 8 (runs 8–9): the first is finished, the others each once.
        Assert.Equal([4L, 8], await TakeAllAsync(window));
        Assert.Equal(8, window.UnitOf(9));
        window.Reported(9); // a task reports all its runs at once; any of its indices names it
        Assert.Equal([4L], window.InFlight);

        // A task whose dispatch failed, but whose runs all finished since, is not sent again.
        window.Failed(4);
        foreach (var index in new long[] { 4, 6, 7 })
        {
            await ledger.TryRecordAsync(new RunRecord(index, RunStatus.Succeeded, 1.0, 100, 100));
        }

        Assert.Null(await window.TakeAsync());
        Assert.Equal(0, window.Count);
    }

    [Fact]
    public async Task A_cancel_hands_back_what_was_in_flight_and_a_rewind_takes_the_unfinished_runs_behind_the_cursor_again()
    {
        var window = new DispatchWindow(await LedgerWithAsync(6, 1), taskSize: 1);
        Assert.Equal([0L, 2, 3, 4, 5], await TakeAllAsync(window));

        Assert.Equal([0L, 2, 3, 4, 5], window.Clear());
        Assert.Equal(0, window.Count);
        Assert.Null(await window.TakeAsync()); // the cursor is at the end

        window.Rewind();
        Assert.Equal([0L, 2, 3, 4, 5], await TakeAllAsync(window));
    }
}
