using System.Globalization;
using System.Text;
using System.Text.Json;
using Sweeps.Core.Schedules;
using Sweeps.Laws.Mpl;
using Sweeps.Laws.Scaling;

namespace Sweeps.Cli.Tests;

/// <summary>
/// <c>sweeps law fit mpl</c> over manifests of several model sizes and <c>law eval</c> of that fit at
/// a size it never saw. The curves are a known multi-scale law's own, written as the CSVs and
/// manifests a user would have, so the reference is exact: the law's curve at the new size.
/// </summary>
public class MultiScaleLawCommandTests
{
    private static readonly ScalingForm[] Forms =
        [ScalingForm.PowerWithFloor, ScalingForm.Power, ScalingForm.Power, ScalingForm.Power, ScalingForm.Shared, ScalingForm.Shared, ScalingForm.Shared];

    /// <summary>Shaped like the published 100M–400M fits (as in the Laws tests): floor 1.7, A, α, B trending in N.</summary>
    private static readonly MultiScaleMpl Truth = new(Forms, 2e8, 3e-4, fitsLrSlope: true,
        [1.7, Math.Log(1.0), -0.2, Math.Log(0.62), 0.08, Math.Log(0.44), -0.06, Math.Log(560), 0.12, Math.Log(0.2), Math.Log(0.7), Math.Log(0.6), 1.0]);

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
        Assert.Equal(4, root.GetProperty("cross_validation").EnumerateObject().Count());
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
