using Sweeps.Cli.Output;
using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Core.Specs;
using Sweeps.Kernels;
using Sweeps.Tests;

namespace Sweeps.Cli.Tests;

[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public class WatchViewTests
{
    [Fact]
    public void The_best_run_per_model_size_follows_runs_as_they_arrive_and_starts_over_on_a_reset()
    {
        var spec = new SweepSpecParser(KernelCatalog.Default).Parse("""
            name: watch
            simulator: quadratic
            grid:
              peak_lr: {log_space: [0.01, 1.0], points: 5}
              model_size: [8, 32, 128]
              total_steps: [100, 300]
            """).Spec!;
        var grid = new SweepGrid(spec);
        var random = new Random(3);
        var records = Enumerable.Range(0, (int)grid.Count).Select(i => new RunRecord(i,
            i % 7 == 0 ? RunStatus.Diverged : RunStatus.Succeeded, i % 7 == 0 ? 0.001 : Math.Round(random.NextDouble(), 1))).ToList();
        var view = new WatchView(grid);

        // A stale first delivery, then a reset with everything, in finish order and in pieces.
        view.Apply([new RunRecord(0, RunStatus.Succeeded, -5)], reset: true);
        var shuffled = records.OrderBy(_ => random.Next()).ToList();
        view.Apply(shuffled[..10], reset: true);
        foreach (var chunk in shuffled[10..].Chunk(7))
        {
            view.Apply(chunk, reset: false);
        }

        // The reference: group all the records at once, the lowest loss of each size (the first in grid order on a tie).
        var expected = records.Where(r => r.Status.HasFinalLoss()).Select(r => (Run: grid.RunAt(r.Index), r.FinalLoss))
            .GroupBy(x => x.Run.ModelSize).OrderBy(g => g.Key).Select(g => g.MinBy(x => x.FinalLoss)).ToList();
        Assert.Equal(3, expected.Count);
        Assert.Equal(expected.Select(b => (b.Run.RunId, b.FinalLoss)), view.BestPerModelSize.Select(b => (b.Run.RunId, b.FinalLoss)));
    }

    [Theory]
    [InlineData(100, 0.0, "--:--:--")]
    [InlineData(100, double.NaN, "--:--:--")]
    [InlineData(90, 2.0, "00:00:45")]
    [InlineData(1, 3.0, "00:00:01")]                  // a third of a second left still shows a second
    [InlineData(3 * 86_400 + 61, 1.0, "72:01:01")]     // days are hours, not a wrapped clock
    [InlineData(1_000_000, 1e-9, ">99:59:59")]        // a stalled rate does not overflow TimeSpan
    public void The_eta_counts_hours_past_a_day_and_never_overflows(long remaining, double rate, string expected) =>
        Assert.Equal(expected, ProgressView.Eta(remaining, rate));
}
