using Sweeps.Core.Curves;
using Sweeps.Core.Grid;
using Sweeps.Core.Specs;
using Sweeps.Tests;

namespace Sweeps.Core.Tests;

public class IngestedSweepTests
{
    [Fact]
    public void Each_curve_of_the_25M_manifest_becomes_the_run_at_its_index_with_its_schedule()
    {
        var curves = CurveManifest.Load(RepositoryPaths.Mpl25mManifest).Manifest!.Curves;

        var (spec, problems) = IngestedSweep.Spec("mpl-25m", curves, IngestedSweep.DefaultLaws);

        Assert.Empty(problems);
        Assert.True(spec!.IsIngested);
        var grid = new SweepGrid(spec);
        Assert.Equal(9, grid.Count);
        for (var i = 0; i < curves.Count; i++)
        {
            var run = grid.RunAt(i);
            Assert.Equal((i, curves[i].Name, curves[i].Schedule, 2.5e7, curves[i].Schedule.TotalSteps, 2160),
                (run.Index, run.ScheduleName, run.Schedule, run.ModelSize, run.TotalSteps, run.WarmupSteps));
            Assert.Equal(3.0e-4, run.PeakLr, 1e-18); // the step schedules name no peak: their highest LR
        }

        Assert.Equal([3.0e-4], spec.PeakLr);
        Assert.Equal([16000, 24000, 72000], spec.TotalSteps);
        Assert.Equal([KnownLaws.Mpl], spec.Laws);
    }

    [Fact]
    public void A_curve_without_a_model_size_is_refused_by_name()
    {
        using var files = new TempFiles();
        files.Write("a.csv", "step,lr,loss\n1,0.001,3.0\n");
        var manifest = files.Write("m.yaml", "curves:\n  - {file: a.csv, schedule: {kind: constant, peak_lr: 1.0e-3, total_steps: 10}}\n");

        var (spec, problems) = IngestedSweep.Spec("x", CurveManifest.Load(manifest).Manifest!.Curves, IngestedSweep.DefaultLaws);

        Assert.Null(spec);
        Assert.Contains("curve 'a' has no model_size", Assert.Single(problems));
    }
}
