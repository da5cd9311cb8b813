using Sweeps.Core.Curves;

namespace Sweeps.Core.Tests;

/// <summary>Curves exported from elsewhere (W&amp;B run history): mapped columns, sparse rows, quoted fields.</summary>
public class ExportedLogTests
{
    // A W&B history export: one row per logging call, so eval-only rows have no train/loss, and a text column.
    private const string WandbExport = """
        "_step","_runtime","train/loss","train/lr","eval/loss","run"
        0,1.5,4.25,0.0001,,"gpt-small"
        10,3.0,3.5,0.0002,,"gpt-small"
        10,3.1,,,3.75,"gpt-small"
        20,4.5,3.125,0.0003,,"gpt-small"
        30,6.0,3.0,0.0003,2.875,"gpt-small"
        """;

    private const string Schedule = "{kind: constant, peak_lr: 3.0e-4, warmup_steps: 20, total_steps: 40}";

    [Fact]
    public void A_wandb_export_is_read_through_the_manifests_column_mapping_skipping_rows_without_a_loss()
    {
        using var files = new TempFiles();
        files.Write("run.csv", WandbExport);
        var manifest = files.Write("m.yaml", $$"""
            model_size: 1.0e8
            columns: {step: _step, loss: train/loss, lr: train/lr}
            curves:
              - {file: run.csv, schedule: {{Schedule}}}
            """);

        var load = CurveManifest.Load(manifest);

        Assert.Empty(load.Errors);
        var curve = Assert.Single(load.Manifest!.Curves).Curve;
        Assert.Equal([0, 10, 20, 30], curve.Steps);
        Assert.Equal([4.25, 3.5, 3.125, 3.0], curve.Loss);
        Assert.Equal([0.0001, 0.0002, 0.0003, 0.0003], curve.Lr);
        Assert.Equal([double.NaN, double.NaN, double.NaN, 2.875], curve.Extra["eval/loss"]); // logged on another row but once
        Assert.All(curve.Extra["run"], v => Assert.True(double.IsNaN(v))); // text: kept as NaN, not an error
        Assert.Contains(load.Warnings, w => w.Message.Contains("1 rows have no train/loss"));
    }

    [Fact]
    public void Without_an_lr_column_the_schedule_gives_each_points_lr()
    {
        using var files = new TempFiles();
        files.Write("run.csv", "_step,train/loss\n5,4.0\n25,3.0\n");
        var manifest = files.Write("m.yaml", $$"""
            model_size: 1.0e8
            curves:
              - {file: run.csv, schedule: {{Schedule}}}
            """);

        var load = CurveManifest.Load(manifest, new CurveColumns("_step", "train/loss", "lr"));

        Assert.Empty(load.Errors);
        var entry = Assert.Single(load.Manifest!.Curves);
        Assert.Equal([entry.LearningRates[5], entry.LearningRates[25]], entry.Curve.Lr);
        Assert.Equal(3.0e-4, entry.Curve.Lr[1]); // past the warmup: the constant peak
    }

    [Fact]
    public void A_mapped_column_missing_from_the_file_is_named_in_the_error()
    {
        using var files = new TempFiles();
        var csv = files.Write("run.csv", WandbExport);

        var error = Assert.Single(CurveCsv.Read(csv, columns: new CurveColumns("_step", "loss", "lr")).Errors);

        Assert.Equal("loss", error.Path);
        Assert.Contains("(_step, loss)", error.Message);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void A_mapped_loss_that_is_not_a_number_is_still_an_error_with_its_line()
    {
        using var files = new TempFiles();
        var csv = files.Write("run.csv", "_step,train/loss\n1,3.0\n2,oops\n3,nan\n");

        var errors = CurveCsv.Read(csv, columns: new CurveColumns("_step", "train/loss", "lr")).Errors;

        Assert.Equal([(3, "not a number"), (4, "finite")], errors.Select(e => (e.Line!.Value, e.Message.Contains("not a number") ? "not a number" : "finite")));
        Assert.All(errors, e => Assert.Equal("train/loss", e.Path));
    }

    [Fact]
    public void Quoted_fields_are_read_in_the_standard_format_too()
    {
        using var files = new TempFiles();
        var curve = CurveCsv.Read(files.Write("c.csv", "\"step\",\"lr\",\"loss\"\n\"1\",\"0.1\",\"3.0\"\n")).Curve!;

        Assert.Equal([1], curve.Steps);
        Assert.Equal([3.0], curve.Loss);
    }

    [Theory]
    [InlineData("step=_step,loss=train/loss,lr=train/lr", "_step", "train/loss", "train/lr")]
    [InlineData("wandb", "_step", "loss", "lr")]
    [InlineData("wandb, loss=train/loss", "_step", "train/loss", "lr")]
    [InlineData("loss=val loss", "step", "val loss", "lr")]
    public void A_column_mapping_is_parsed_with_unmapped_columns_standard(string text, string step, string loss, string lr)
    {
        var (columns, error) = CurveColumns.Parse(text);

        Assert.Null(error);
        Assert.Equal(new CurveColumns(step, loss, lr), columns);
    }

    [Theory]
    [InlineData("epoch=_step", "unknown key")]
    [InlineData("loss", "KEY=COLUMN")]
    [InlineData("loss=", "KEY=COLUMN")]
    public void A_bad_column_mapping_says_what_is_expected(string text, string message)
    {
        var (columns, error) = CurveColumns.Parse(text);

        Assert.Null(columns);
        Assert.Contains(message, error);
    }
}
