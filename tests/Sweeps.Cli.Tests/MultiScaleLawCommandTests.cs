using System.Globalization;
using System.Text;
using System.Text.Json;
using Sweeps.Core.Schedules;
using Sweeps.Laws.Curves;
using Sweeps.Laws.Scaling;
using Sweeps.Tests;

namespace Sweeps.Cli.Tests;

/// <summary>
/// <c>sweeps law fit mpl</c> over manifests of several model sizes and <c>law eval</c> of that fit at
/// a size it never saw. The curves are a known multi-scale law's own, written as the CSVs and
/// manifests a user would have, so the reference is exact: the law's curve at the new size.
/// </summary>
[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public class MultiScaleLawCommandTests
{
    /// <summary>The law the curves come from (shaped like the published 100M–400M fits).</summary>
    private static readonly MultiScaleMpl Truth = KnownMultiScaleLaw.Create();

    [Fact]
    public async Task A_fit_over_three_sizes_predicts_the_curves_of_an_8x_larger_model_within_half_a_percent()
    {
        using var scratch = new ScratchDirectory();
        var manifests = new[] { 1e8, 2e8, 4e8 }.Select(n => WriteManifest(scratch, n, [2e-4, 4e-4], steps: 4000)).ToArray();
        var unseen = WriteManifest(scratch, 3.2e9, [1.5e-4], steps: 8000);

        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path,
            ["law", "fit", "mpl", .. manifests.SelectMany(m => new[] { "--curves", m }), "--json", "--out", "fit.json", "--bootstrap", "8"]);

        Assert.True(exitCode == 0, stderr);
        using var fit = JsonDocument.Parse(stdout);
        var root = fit.RootElement;
        Assert.True(MultiScaleMpl.IsMultiScale(root.GetProperty("params").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble())));
        Assert.Equal(4, root.GetProperty("structure_scores").EnumerateObject().Count());
        Assert.Equal("bic", root.GetProperty("structure_criterion").GetString()); // three sizes
        Assert.StartsWith("L0 ", root.GetProperty("structure").GetString());
        // Every manifest names its curves alike; the report keys them by size.
        Assert.Equal(12, root.GetProperty("train").EnumerateObject().Count());
        Assert.True(root.GetProperty("train").TryGetProperty("cosine_0.0002@4E+08", out _), root.GetProperty("train").ToString());
        Assert.True(root.GetProperty("summary").GetProperty("train").GetProperty("pred_e").GetDouble() < 1e-3);
        Assert.Equal([1e8, 4e8], root.GetProperty("fitted_range").GetProperty("model_size").EnumerateArray().Select(v => v.GetDouble()));
        var floor = root.GetProperty("intervals").GetProperty("A").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.True(floor[0] <= floor[1] && floor[0] > 0, $"A interval [{floor[0]}, {floor[1]}]");

        var (evalExit, evalOut, evalErr) = await SweepsProcess.RunAsync(scratch.Path, "law", "eval", "--fit", "fit.json", "--curves", unseen, "--json");

        Assert.True(evalExit == 0, evalErr);
        using var eval = JsonDocument.Parse(evalOut);
        var metrics = eval.RootElement.GetProperty("curves").GetProperty("cosine_0.00015");
        Assert.True(metrics.GetProperty("pred_e").GetDouble() < 5e-3, metrics.ToString());
        Assert.Contains(eval.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("extrapolating 8× beyond the largest fitted model size"));
    }

    [Fact]
    public async Task Predict_from_a_fit_file_finds_the_true_optimal_peak_LR_and_loss_of_an_8x_larger_model()
    {
        using var scratch = new ScratchDirectory();
        var manifests = new[] { 1e8, 2e8, 4e8 }.Select(n => WriteManifest(scratch, n, [1e-4, 2e-4, 4e-4], steps: 4000)).ToArray();
        var (fitExit, _, fitErr) = await SweepsProcess.RunAsync(scratch.Path, ["law", "fit", "mpl", .. manifests.SelectMany(m => new[] { "--curves", m }), "--out", "fit.json"]);
        Assert.True(fitExit == 0, fitErr);

        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path,
            "predict", "--fit", "fit.json", "--model-size", "3.2e9", "--total-steps", "8000", "--warmup-steps", "200", "--schedule-kind", "cosine", "optimal", "--json");

        Assert.True(exitCode == 0, stderr);
        using var prediction = JsonDocument.Parse(stdout);
        var root = prediction.RootElement;
        var cosineOptimum = root.GetProperty("optimal_peak_lr_by_schedule").GetProperty("cosine").GetDouble();
        var (trueOptimum, _) = TrueCosineOptimum(3.2e9, 8000);
        Assert.InRange(cosineOptimum / trueOptimum, 0.9, 1.1);
        var peak = root.GetProperty("optimal_peak_lr").GetDouble();
        var trueLoss = CosineFinalLoss(3.2e9, 8000, peak);
        Assert.Equal(trueLoss, root.GetProperty("predicted_final_loss").GetProperty("cosine").GetDouble(), trueLoss * 5e-3);
        Assert.True(root.GetProperty("predicted_final_loss").GetProperty("optimal").GetDouble() <= root.GetProperty("predicted_final_loss").GetProperty("cosine").GetDouble());
        Assert.Equal("unknown", root.GetProperty("divergence_risk").GetProperty("level").GetString());
        Assert.Equal(8, root.GetProperty("extrapolation").GetProperty("model_size").GetDouble(), 1e-9);
        Assert.True(File.Exists(root.GetProperty("optimal_schedule_csv").GetString()));

        // As text: a fit file has no sweep optima to draw an interval from, and says so rather than "[NaN, NaN]".
        var (textExit, text, textErr) = await SweepsProcess.RunAsync(scratch.Path,
            "predict", "--fit", "fit.json", "--model-size", "3.2e9", "--total-steps", "8000", "--schedule-out", "text.csv");
        Assert.True(textExit == 0, textErr);
        Assert.Contains("(no interval)", text);
        Assert.DoesNotContain("NaN", text);
    }

    [Fact]
    public async Task Predict_refuses_a_one_size_fit_and_a_call_without_sweep_or_fit()
    {
        using var scratch = new ScratchDirectory();
        scratch.Write("one.json", "{\"law\": \"mpl\", \"params\": {\"L0\": 3, \"A\": 0.5, \"alpha\": 0.5, \"B\": 300, \"C\": 1, \"beta\": 0.5, \"gamma\": 0.5}}");

        await CliAssert.ExitsWithBadInputAsync(scratch.Path, "cannot predict at another", "predict", "--fit", "one.json", "--model-size", "1e9", "--total-steps", "1000");
        await CliAssert.ExitsWithBadInputAsync(scratch.Path, "give a sweep id, or --fit", "predict", "--model-size", "1e9", "--total-steps", "1000");
    }

    /// <summary>The truth's best cosine peak LR by a fine scan in log LR (no optimiser shared with the code under test).</summary>
    private static (double PeakLr, double Loss) TrueCosineOptimum(double modelSize, int steps) =>
        Enumerable.Range(0, 801).Select(i => 2e-5 * Math.Pow(2e-3 / 2e-5, i / 800.0))
            .Select(lr => (lr, CosineFinalLoss(modelSize, steps, lr))).MinBy(x => x.Item2);

    private static double CosineFinalLoss(double modelSize, int steps, double peak)
    {
        var lr = Schedule.Evaluate(new ScheduleSpec { Kind = ScheduleKind.Cosine, PeakLr = peak, FinalLrRatio = 0.1, WarmupSteps = 200, TotalSteps = steps });
        return Truth.Predict(modelSize, new MplCurve(lr, [steps - 1]))[0];
    }

    [Fact]
    public async Task Curves_without_a_model_size_beside_sized_ones_are_refused_by_name()
    {
        using var scratch = new ScratchDirectory();
        var sized = WriteManifest(scratch, 1e8, [2e-4], steps: 2000);
        var other = WriteManifest(scratch, 2e8, [2e-4], steps: 2000);
        File.WriteAllText(Path.Combine(scratch.Path, "unsized.yaml"), File.ReadAllText(other).Replace("model_size: 2E+08\n", ""));

        await CliAssert.ExitsWithBadInputAsync(scratch.Path, "has no model_size", "law", "fit", "mpl", "--curves", sized, "--curves", other, "--curves", "unsized.yaml");
    }

    /// <summary>A manifest of cosine and WSD curves at each peak, every 100 steps after warmup, from <see cref="Truth"/>.</summary>
    private static string WriteManifest(ScratchDirectory scratch, double modelSize, double[] peaks, int steps)
    {
        var yaml = new StringBuilder($"model_size: {modelSize.ToString("G3", CultureInfo.InvariantCulture)}\ncurves:\n");
        foreach (var peak in peaks)
        {
            foreach (var (kind, shape) in new[] { (ScheduleKind.Cosine, "kind: cosine"), (ScheduleKind.Wsd, "kind: wsd, decay_fraction: 0.2") })
            {
                var name = $"{kind.ToString().ToLowerInvariant()}_{peak.ToString(CultureInfo.InvariantCulture)}";
                var file = $"n{modelSize:G3}_{name}.csv";
                var spec = new ScheduleSpec { Kind = kind, PeakLr = peak, FinalLrRatio = 0.1, WarmupSteps = 200, TotalSteps = steps, DecayFraction = kind == ScheduleKind.Wsd ? 0.2 : null };
                var at = Enumerable.Range(0, (steps - 200) / 100).Select(i => 300 + 100 * i).Where(s => s < steps).ToArray();
                var lr = Schedule.Evaluate(spec);
                var loss = Truth.Predict(modelSize, new MplCurve(lr, at));
                scratch.Write(file, "step,lr,loss\n" + string.Concat(at.Select((s, i) => $"{s},{lr[s].ToString("R", CultureInfo.InvariantCulture)},{loss[i].ToString("R", CultureInfo.InvariantCulture)}\n")));
                yaml.Append($"  - name: {name}\n    file: {file}\n    schedule: {{{shape}, peak_lr: {peak.ToString(CultureInfo.InvariantCulture)}, final_lr_ratio: 0.1, warmup_steps: 200, total_steps: {steps}}}\n");
            }
        }

        return scratch.Write($"n{modelSize:G3}.yaml", yaml.ToString());
    }
}
