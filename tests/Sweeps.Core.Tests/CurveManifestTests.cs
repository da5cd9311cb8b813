using Sweeps.Core.Curves;
using Sweeps.Core.Schedules;
using Sweeps.Tests;

namespace Sweeps.Core.Tests;

public class CurveManifestTests
{
    [Fact]
    public void The_published_25M_manifest_loads_all_nine_curves_without_warnings()
    {
        var load = CurveManifest.Load(RepositoryPaths.Mpl25mManifest);

        Assert.Empty(load.Errors);
        Assert.Empty(load.Warnings);
        var manifest = load.Manifest!;
        Assert.Equal(9, manifest.Curves.Count);
        Assert.Equal(2.5e7, manifest.ModelSize);
        var cosine = manifest.Curves.Single(c => c.Name == "cosine_24000");
        Assert.Equal(171, cosine.Curve.Count); // 172 lines less the header
        Assert.Equal(ScheduleKind.Cosine, cosine.Schedule.Kind);
        Assert.Equal(24000, cosine.LearningRates.Length);
    }

    [Fact]
    public void Schedules_reproduce_the_lr_column_logged_by_the_real_runs()
    {
        // Independent reference: the LR each of the paper's training runs logged at every point.
        var manifest = CurveManifest.Load(RepositoryPaths.Mpl25mManifest).Manifest!;
        foreach (var entry in manifest.Curves)
        {
            for (var i = 0; i < entry.Curve.Count; i++)
            {
                var logged = entry.Curve.Lr[i];
                var evaluated = entry.LearningRates[entry.Curve.Steps[i]];
                Assert.True(Math.Abs(logged - evaluated) <= 1e-9 * logged, $"{entry.Name} step {entry.Curve.Steps[i]}: logged {logged}, schedule {evaluated}");
            }
        }
    }

    [Fact]
    public void A_missing_column_is_reported_with_file_and_line()
    {
        using var files = new TempFiles();
        var csv = files.Write("c.csv", "step,loss\n1,3.0\n");

        var error = Assert.Single(CurveCsv.Read(csv).Errors);

        Assert.Equal(1, error.Line);
        Assert.Contains("lr", error.Path);
        Assert.StartsWith($"{csv}:1: ", error.Format(csv));
    }

    [Theory]
    [InlineData("step,lr,loss\n1,0.1,3.0\n1,0.1,2.9\n", 3, "step", "does not increase")]
    [InlineData("step,lr,loss\n1,0.1,3.0\n2,0.1,nan\n", 3, "loss", "finite")]
    [InlineData("step,lr,loss\n1,0.1,3.0\n2,0.1,3.1\n3,0.1,-1\n", 4, "loss", "> 0")]
    [InlineData("step,lr,loss\n1,0.1,abc\n", 2, "loss", "not a number")]
    [InlineData("step,lr,loss\n1,0.1\n", 2, "", "fields")]
    public void Bad_rows_are_reported_with_their_line(string text, int line, string column, string message)
    {
        using var files = new TempFiles();
        var error = Assert.Single(CurveCsv.Read(files.Write("c.csv", text)).Errors);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Path);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Points_beyond_the_schedule_are_dropped_with_a_warning_naming_the_line()
    {
        using var files = new TempFiles();
        var read = CurveCsv.Read(files.Write("c.csv", "step,lr,loss\n10,0.1,3.0\n100,0.1,2.0\n110,0.1,1.9\n"), totalSteps: 100);

        Assert.Empty(read.Errors);
        Assert.Equal([10], read.Curve!.Steps);
        var warning = Assert.Single(read.Warnings);
        Assert.Equal(3, warning.Line);
    }

    [Fact]
    public void Extra_columns_are_kept()
    {
        using var files = new TempFiles();
        var curve = CurveCsv.Read(files.Write("c.csv", "step,lr,loss,grad_norm\n1,0.1,3.0,0.5\n")).Curve!;
        Assert.Equal([0.5], curve.Extra["grad_norm"]);
    }

    [Fact]
    public void Manifest_errors_name_the_yaml_path_the_csv_file_and_line()
    {
        using var files = new TempFiles();
        files.Write("good.csv", "step,lr,loss\n1,0.001,3.0\n");
        files.Write("bad.csv", "step,lr,loss\n1,0.001,3.0\n2,0.001,inf\n");
        var manifest = files.Write("m.yaml", """
            curves:
              - file: good.csv
                schedule: {kind: wsd, peak_lr: 1.0e-3, decay_start: 900, total_steps: 500}
              - file: bad.csv
                schedule: {kind: constant, peak_lr: 1.0e-3, total_steps: 100}
                colour: red
            """);

        var errors = CurveManifest.Load(manifest).Errors.Select(e => e.Format()).ToList();

        Assert.Contains(errors, e => e.Contains("curves[0].schedule.decay_start") && e.Contains("beyond total_steps 500") && e.Contains(":3:"));
        Assert.Contains(errors, e => e.Contains("bad.csv:3:") && e.Contains("loss"));
        Assert.Contains(errors, e => e.Contains("curves[1].colour") && e.Contains("unknown key"));
    }
}
