using System.Text.Json;
using Sweeps.Cli.Commands.Bench;
using Sweeps.Tests;

namespace Sweeps.Cli.Tests;

/// <summary><c>sweeps predict</c> and its validation against the LLM-pretraining twin's ground truth.</summary>
[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public sealed class PredictTests : IDisposable
{
    private readonly ScratchDirectory _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void At_8x_the_size_and_horizon_the_peak_LR_is_within_25_percent_and_the_loss_within_1_percent_of_the_simulated_truth()
    {
        // The protocol: sweep 1e8–4e8 × 3,000–12,000 steps, predict at 3.2e9 × 96,000, then run
        // there with the noise off: the true optimum (parabola through a 25-point LR scan) and the loss at
        // the recommended LR, per schedule and for the best schedule.
        var (prediction, checks, _) = PredictValidation.Run(PredictValidation.MplSurrogate8x);

        Assert.Equal(4, checks.Count);
        Assert.All(checks, c =>
        {
            Assert.InRange(c.PeakLrError, -0.25, 0.25);
            Assert.InRange(c.LossError, -0.01, 0.01);
        });
        Assert.Contains(prediction.Warnings, w => w.Contains("extrapolating 8× beyond the largest fitted model size"));
        Assert.Equal(8, prediction.Extrapolation["total_steps"]);
        Assert.True(prediction.PredictedFinalLoss["optimal"] <= prediction.PredictedFinalLoss.Values.Min() + 1e-12);
    }

    [Fact]
    public void On_the_real_25M_curves_each_held_out_schedule_family_and_the_long_horizon_are_predicted_within_1_percent()
    {
        var manifest = Core.Curves.CurveManifest.Load(Sweeps.Tests.RepositoryPaths.Mpl25mManifest).Manifest!;

        var rows = RealCurveHoldouts.Run(manifest.Curves);

        Assert.Equal(manifest.Curves.Count, rows.Count(r => r.Protocol == "leave-one-schedule-out"));
        Assert.Equal(5, rows.Where(r => r.Protocol == "leave-one-schedule-out").Select(r => r.HeldOut).Distinct().Count());
        Assert.Equal(["constant_72000", "cosine_72000"], rows.Where(r => r.Protocol == "leave-long-horizon-out").Select(r => r.Curve).Order());
        Assert.All(rows, r =>
        {
            Assert.InRange(r.FinalLossError, -0.01, 0.01);
            Assert.InRange(r.PredE, 0, 0.005);
        });
    }

    [Fact]
    public async Task Predict_on_a_sweep_prints_the_recommendation_writes_the_optimal_schedule_and_refuses_bad_options()
    {
        var spec = Path.Combine(_scratch.Path, "small.yaml");
        await File.WriteAllTextAsync(spec, """
            name: predict-small
            simulator: {name: mpl-surrogate, options: {eval_noise: 0.0}}
            grid:
              peak_lr: {log_space: [1.0e-4, 1.6e-3], points: 9}
              warmup_steps: 200
              model_size: [1.0e8, 2.0e8, 4.0e8]
              total_steps: [2000, 4000]
              schedule: [cosine, wsd]
            schedules:
              cosine: {kind: cosine, final_lr_ratio: 0.1}
              wsd: {kind: wsd, decay_fraction: 0.2, final_lr_ratio: 0.0}
            laws: [optimal_lr]
            """);
        var (ran, runJson, runErrors) = await SweepsProcess.RunAsync(_scratch.Path, "run", spec, "--data-dir", "store", "--json");
        Assert.True(ran == 0, runErrors);
        var id = JsonDocument.Parse(runJson).RootElement.GetProperty("id").GetString()!;

        var (code, json, errors) = await SweepsProcess.RunAsync(_scratch.Path, "predict", id, "--model-size", "1.6e9", "--total-steps", "8000",
            "--schedule-kind", "cosine", "optimal", "--schedule-out", "best.csv", "--data-dir", "store", "--json");

        Assert.True(code == 0, errors);
        var root = JsonDocument.Parse(json).RootElement;
        var lr = root.GetProperty("optimal_peak_lr").GetDouble();
        var interval = root.GetProperty("optimal_peak_lr_interval").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.InRange(lr, interval[0], interval[1]);
        var losses = root.GetProperty("predicted_final_loss");
        Assert.True(losses.GetProperty("optimal").GetDouble() <= losses.GetProperty("cosine").GetDouble());
        Assert.Equal(4.0, root.GetProperty("extrapolation").GetProperty("model_size").GetDouble(), 1e-12);
        Assert.Contains(root.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("extrapolating 4× beyond the largest fitted model size"));
        var frontier = root.GetProperty("compute_optimal_frontier").EnumerateArray().ToList();
        Assert.Equal(1.6e9 * 8000, frontier[^1].GetProperty("size_times_data").GetDouble(), 1e3);
        Assert.True(frontier.Zip(frontier.Skip(1)).All(p => p.Second.GetProperty("model_size").GetDouble() > p.First.GetProperty("model_size").GetDouble()), "N_opt grows with compute");
        var csv = File.ReadAllLines(root.GetProperty("optimal_schedule_csv").GetString()!);
        Assert.Equal("step,lr", csv[0]);
        Assert.Equal(8001, csv.Length);
        Assert.Equal(lr, csv.Skip(201).Select(l => double.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).Max(), lr * 1e-9);

        var (bad, _, badErrors) = await SweepsProcess.RunAsync(_scratch.Path, "predict", id, "--model-size", "-1", "--total-steps", "1", "--schedule-kind", "zigzag", "--data-dir", "store");
        Assert.Equal(2, bad);
        Assert.Contains("--model-size: must be a positive number", badErrors);
        Assert.Contains("--total-steps: must be in [2, 50,000,000], got 1", badErrors);
        Assert.Contains("--schedule-kind: unknown 'zigzag'", badErrors);
    }
}
