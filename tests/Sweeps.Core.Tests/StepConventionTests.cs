using Sweeps.Core.Curves;
using Sweeps.Core.Schedules;
using Sweeps.Tests;

namespace Sweeps.Core.Tests;

public class StepConventionTests
{
    private static readonly ScheduleSpec Cosine = new() { Kind = ScheduleKind.Cosine, PeakLr = 1e-3, FinalLrRatio = 0.1, WarmupSteps = 20, TotalSteps = 200 };

    /// <summary>A curve CSV as a sweep writes it: step t after t updates, lr = schedule[t − 1] (schedule[0] at step 0), ending at total_steps.</summary>
    private static string SweepCsv()
    {
        var lr = Schedule.Evaluate(Cosine);
        var rows = new[] { 0, 1, 20, 21, 100, 199, 200 }.Select(t => FormattableString.Invariant($"{t},{RecordedLr.At(lr, t):R},{3.0 + 10.0 / (t + 1):R}"));
        return "step,lr,loss\n" + string.Join("\n", rows) + "\n";
    }

    private const string Schedule200 = "{kind: cosine, peak_lr: 1.0e-3, final_lr_ratio: 0.1, warmup_steps: 20, total_steps: 200}";

    [Fact]
    public void A_sweeps_own_curve_is_read_by_schedule_index_without_warnings_and_keeps_its_last_point()
    {
        using var files = new TempFiles();
        files.Write("r.csv", SweepCsv());
        var manifest = files.Write("m.yaml", $"curves:\n  - file: r.csv\n    schedule: {Schedule200}\n");

        var load = CurveManifest.Load(manifest);

        Assert.Empty(load.Errors);
        Assert.Empty(load.Warnings);
        var curve = load.Manifest!.Curves.Single().Curve;
        // Step t (t updates) is schedule index t − 1; step 0, before any update, is left out.
        Assert.Equal([0, 19, 20, 99, 198, 199], curve.Steps);
        Assert.Equal(3.0 + 10.0 / 201, curve.Loss[^1]);
    }

    [Fact]
    public void The_published_curves_are_detected_as_numbered_by_schedule_index()
    {
        var curves = CurveManifest.Load(RepositoryPaths.Mpl25mManifest).Manifest!.Curves;

        Assert.Equal(StepConvention.Index, StepConventions.Detect(curves));
        Assert.Equal(2160, curves.Single(c => c.Name == "cosine_24000").Curve.Steps[0]); // as in the file
    }

    [Fact]
    public void A_declared_convention_wins_over_the_lr_column()
    {
        using var files = new TempFiles();
        files.Write("r.csv", SweepCsv());
        var manifest = files.Write("m.yaml", $"step_convention: index\ncurves:\n  - file: r.csv\n    schedule: {Schedule200}\n");

        var load = CurveManifest.Load(manifest);

        // Read by index, the lr column disagrees with the schedule and the point at step 200 is beyond it.
        Assert.Contains(load.Warnings, w => w.Message.Contains("at or beyond the schedule's total_steps 200"));
        Assert.Contains(load.Warnings, w => w.Path == "lr");
        Assert.Equal(199, load.Manifest!.Curves.Single().Curve.Steps[^1]);
    }

    [Fact]
    public void An_unknown_convention_is_an_error_naming_both()
    {
        using var files = new TempFiles();
        files.Write("r.csv", SweepCsv());
        var manifest = files.Write("m.yaml", $"step_convention: epochs\ncurves:\n  - file: r.csv\n    schedule: {Schedule200}\n");

        var error = Assert.Single(CurveManifest.Load(manifest).Errors);

        Assert.Equal("step_convention", error.Path);
        Assert.Contains("updates", error.Message);
        Assert.Contains("index", error.Message);
    }

    [Fact]
    public void A_written_schedule_reads_back_as_the_same_schedule()
    {
        ScheduleSpec[] specs =
        [
            Cosine,
            new() { Kind = ScheduleKind.Wsd, PeakLr = 3e-4, FinalLr = 3e-5, WarmupSteps = 100, DecayStart = 700, DecayShape = DecayShape.Exponential, TotalSteps = 1000 },
            new() { Kind = ScheduleKind.Step, PeakLr = 0.1, WarmupSteps = 10, Stages = [new StepStage(50, 0.1), new StepStage(100, LrRatio: 0.3)], TotalSteps = 100 },
            new() { Kind = ScheduleKind.Polynomial, PeakLr = 0.1, Power = 2.5, Warmup = WarmupKind.None, TotalSteps = 64 },
            new() { Kind = ScheduleKind.Table, Values = [0.1, 0.05, 1.0 / 3], TotalSteps = 3 },
        ];
        using var files = new TempFiles();
        foreach (var spec in specs)
        {
            files.Write("c.csv", "step,lr,loss\n1,0,3.0\n");
            var manifest = files.Write("m.yaml", $"step_convention: updates\ncurves:\n  - file: c.csv\n    schedule: {ScheduleYamlWriter.Write(spec)}\n");
            var load = CurveManifest.Load(manifest);
            Assert.True(load.Manifest is not null, string.Join("; ", load.Errors.Select(e => e.Message)));
            Assert.Equal(Schedule.Evaluate(spec), load.Manifest!.Curves.Single().LearningRates);
        }
    }
}
