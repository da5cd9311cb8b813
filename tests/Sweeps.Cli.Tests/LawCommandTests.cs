using System.Text.Json;
using Sweeps.Tests;

namespace Sweeps.Cli.Tests;

[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public class LawCommandTests
{
    private static string Manifest => RepositoryPaths.Mpl25mManifest;

    [Fact]
    public async Task Law_fit_mpl_prints_the_design_json_shape_and_a_fit_that_eval_reproduces()
    {
        using var scratch = new ScratchDirectory();
        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path,
            "law", "fit", "mpl", "--curves", Manifest, "--train", "cosine_24000,constant_24000,wsdcon_9", "--json", "--out", "fit.json");

        Assert.True(exitCode == 0, stderr);
        using var fit = JsonDocument.Parse(stdout);
        var root = fit.RootElement;
        Assert.Equal("mpl", root.GetProperty("law").GetString());
        Assert.Equal(7, root.GetProperty("params").EnumerateObject().Count());
        Assert.Equal(3, root.GetProperty("train").EnumerateObject().Count());
        Assert.Equal(6, root.GetProperty("test").EnumerateObject().Count());
        var testSummary = root.GetProperty("summary").GetProperty("test");
        foreach (var key in new[] { "r2", "mae", "rmse", "pred_e", "worst_e", "huber" })
        {
            Assert.True(testSummary.TryGetProperty(key, out _), key);
        }

        Assert.True(root.GetProperty("elapsed_seconds").GetDouble() > 0);

        var (evalExit, evalOut, _) = await SweepsProcess.RunAsync(scratch.Path, "law", "eval", "--fit", "fit.json", "--curves", Manifest, "--json");
        Assert.Equal(0, evalExit);
        using var eval = JsonDocument.Parse(evalOut);
        var r2Fit = root.GetProperty("test").GetProperty("cosine_72000").GetProperty("r2").GetDouble();
        var r2Eval = eval.RootElement.GetProperty("curves").GetProperty("cosine_72000").GetProperty("r2").GetDouble();
        Assert.Equal(r2Fit, r2Eval, 1e-12);
    }

    [Fact]
    public async Task Law_fit_plot_writes_a_png_of_the_requested_size()
    {
        using var scratch = new ScratchDirectory();
        var (exitCode, _, stderr) = await SweepsProcess.RunAsync(scratch.Path,
            "law", "fit", "power", "--curves", Manifest, "--train", "constant_24000", "--plot", "fit.png");

        Assert.True(exitCode == 0, stderr);
        var png = File.ReadAllBytes(Path.Combine(scratch.Path, "fit.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        // The IHDR chunk holds width and height, big-endian, at bytes 16–23.
        Assert.Equal(1000, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(650, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Theory]
    [InlineData("fit", "mpl", "--train", "nope", "no curve named 'nope'")]
    [InlineData("fit", "momentum-of-inertia", "--train", "cosine_24000", "unknown law")]
    public async Task Bad_law_input_exits_2_with_a_message(string verb, string law, string option, string value, string message)
    {
        using var scratch = new ScratchDirectory();
        await CliAssert.ExitsWithBadInputAsync(scratch.Path, message, "law", verb, law, "--curves", Manifest, option, value);
    }

    [Fact]
    public async Task Method_reference_fits_the_published_parameters_and_eval_and_optimize_schedule_say_which_method_made_the_fit()
    {
        using var scratch = new ScratchDirectory();
        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path,
            "law", "fit", "mpl", "--curves", Manifest, "--train", "cosine_24000,constant_24000,wsdcon_9", "--method", "reference", "--json", "--out", "fit.json");

        Assert.True(exitCode == 0, stderr);
        using var fit = JsonDocument.Parse(stdout);
        Assert.Equal("reference", fit.RootElement.GetProperty("method").GetString());
        // shared/data/README.md: the published 25M parameters.
        Assert.Equal(363.78751622, fit.RootElement.GetProperty("params").GetProperty("B").GetDouble(), 363.8e-3);
        Assert.False(fit.RootElement.TryGetProperty("selected_by", out _)); // the user chose

        var (evalExit, evalOut, _) = await SweepsProcess.RunAsync(scratch.Path, "law", "eval", "--fit", "fit.json", "--curves", Manifest, "--json");
        Assert.Equal(0, evalExit);
        Assert.Equal("reference", JsonDocument.Parse(evalOut).RootElement.GetProperty("fit_method").GetString());

        var (optimizeExit, optimizeOut, optimizeErr) = await SweepsProcess.RunAsync(scratch.Path,
            "law", "optimize-schedule", "--params", "fit.json", "--total-steps", "3000", "--peak-lr", "3e-4", "--warmup-steps", "200", "--out", "s.csv", "--json");
        Assert.True(optimizeExit == 0, optimizeErr);
        Assert.Equal("reference", JsonDocument.Parse(optimizeOut).RootElement.GetProperty("fit_method").GetString());
    }

    [Fact]
    public async Task The_default_mpl_fit_says_which_method_it_chose_and_why()
    {
        using var scratch = new ScratchDirectory();
        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path,
            "law", "fit", "mpl", "--curves", Manifest, "--train", "cosine_24000,constant_24000,wsdcon_9", "--json");

        Assert.True(exitCode == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        // Real curves: the optimum's residuals are correlated, so the published pipeline.
        Assert.StartsWith("auto: the optimum's residuals are correlated", root.GetProperty("selected_by").GetString());
        Assert.Equal("reference", root.GetProperty("method").GetString());
    }

    [Fact]
    public async Task An_optimised_schedule_that_did_not_converge_says_so_in_a_warning()
    {
        // The convex bound fitted to the 25M split: its descent ends at the iteration limit (495 here).
        using var scratch = new ScratchDirectory();
        var (fitExit, _, fitErr) = await SweepsProcess.RunAsync(scratch.Path,
            "law", "fit", "convex", "--curves", Manifest, "--train", "cosine_24000,constant_24000,wsdcon_9", "--out", "convex.json");
        Assert.True(fitExit == 0, fitErr);

        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path,
            "law", "optimize-schedule", "--law", "convex", "--params", "convex.json", "--total-steps", "24000", "--peak-lr", "3e-4", "--warmup-steps", "2160", "--out", "s.csv", "--json");

        Assert.True(exitCode == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.False(root.GetProperty("converged").GetBoolean());
        Assert.Contains("before converging", Assert.Single(root.GetProperty("warnings").EnumerateArray()).GetString());
        Assert.Contains("warning: ", stderr);
    }

    [Theory]
    [InlineData("mpl", "fastest", "unknown method 'fastest'")]
    [InlineData("momentum", "reference", "only mpl has more than one way to fit")]
    public async Task A_method_that_does_not_apply_exits_2_with_a_message(string law, string method, string message)
    {
        using var scratch = new ScratchDirectory();
        await CliAssert.ExitsWithBadInputAsync(scratch.Path, message, "law", "fit", law, "--curves", Manifest, "--method", method);
    }

    [Fact]
    public async Task A_curve_with_nan_is_refused_with_file_and_line()
    {
        using var scratch = new ScratchDirectory();
        scratch.Write("c.csv", "step,lr,loss\n10,0.001,3.0\n20,0.001,nan\n");
        scratch.Write("m.yaml", "curves:\n  - file: c.csv\n    schedule: {kind: constant, peak_lr: 1.0e-3, total_steps: 100}\n");

        await CliAssert.ExitsWithBadInputAsync(scratch.Path, "c.csv:3: loss", "law", "fit", "mpl", "--curves", "m.yaml");
    }

    [Fact]
    public async Task A_log_of_200000_rows_is_fitted_on_2000_evenly_spaced_points_and_says_so()
    {
        // L = 2 + 3·S^−0.4 at constant LR 1e-3, S = 1e-3·step; steps from 100 so that how a file counts
        // steps (one apart) moves S by at most 1%.
        using var scratch = new ScratchDirectory();
        var rows = new System.Text.StringBuilder("step,lr,loss\n");
        for (var step = 100; step < 200_100; step++)
        {
            rows.Append(System.FormattableString.Invariant($"{step},0.001,{2 + 3 * Math.Pow(1e-3 * step, -0.4):R}\n"));
        }

        scratch.Write("long.csv", rows.ToString());
        scratch.Write("m.yaml", "curves:\n  - name: long\n    file: long.csv\n    schedule: {kind: constant, peak_lr: 1.0e-3, total_steps: 200100}\n");

        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path, "law", "fit", "power", "--curves", "m.yaml", "--json");

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("curve 'long': 200,000 points; its laws are fitted and scored on 2,000 evenly spaced ones", stderr);
        using var fit = JsonDocument.Parse(stdout);
        Assert.Equal(0.4, fit.RootElement.GetProperty("params").GetProperty("alpha").GetDouble(), 0.01);
        Assert.True(fit.RootElement.GetProperty("train").GetProperty("long").GetProperty("r2").GetDouble() > 0.9999);
    }
}

[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public class ChinchillaCommandTests
{
    [Fact]
    public async Task Law_fit_chinchilla_reads_points_and_recovers_their_exponents()
    {
        using var scratch = new ScratchDirectory();
        var lines = new List<string> { "params,tokens,loss" };
        foreach (var n in new[] { 1e7, 3e7, 1e8, 3e8, 1e9 })
        {
            foreach (var d in new[] { 1e9, 3e9, 1e10, 3e10, 1e11 })
            {
                // Ground truth: the Chinchilla paper's fit.
                lines.Add(FormattableString.Invariant($"{n},{d},{1.69 + 406.4 / Math.Pow(n, 0.34) + 410.7 / Math.Pow(d, 0.28)}"));
            }
        }

        scratch.Write("points.csv", string.Join('\n', lines));
        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path, "law", "fit", "chinchilla", "--points", "points.csv", "--json", "--bootstrap", "10");

        Assert.True(exitCode == 0, stderr);
        using var document = JsonDocument.Parse(stdout);
        var parameters = document.RootElement.GetProperty("params");
        Assert.Equal(0.34, parameters.GetProperty("alpha").GetDouble(), 1e-3);
        var alpha = document.RootElement.GetProperty("intervals").GetProperty("alpha");
        Assert.Equal(2, alpha.GetArrayLength());
        Assert.True(alpha[0].GetDouble() <= 0.34 + 1e-3 && alpha[1].GetDouble() >= 0.34 - 1e-3);
        Assert.Equal(10, document.RootElement.GetProperty("bootstrap").GetInt32());
        Assert.Equal(0.28, parameters.GetProperty("beta").GetDouble(), 1e-3);
        Assert.Equal(1.69, parameters.GetProperty("E").GetDouble(), 1e-3);
    }

    [Fact]
    public async Task A_points_file_without_the_columns_exits_2()
    {
        using var scratch = new ScratchDirectory();
        scratch.Write("points.csv", "n,d,l\n1,2,3\n");
        await CliAssert.ExitsWithBadInputAsync(scratch.Path, "points.csv:1: params,tokens,loss: missing column", "law", "fit", "chinchilla", "--points", "points.csv");
    }
}

[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public class OptimizeScheduleCommandTests
{
    [Fact]
    public async Task Optimize_schedule_writes_a_table_schedule_that_beats_the_baselines()
    {
        using var scratch = new ScratchDirectory();
        scratch.Write("p.json", """{"params": {"L0": 3.04045406, "A": 0.52468604, "alpha": 0.50786857, "B": 363.78751622, "C": 2.06560812, "beta": 0.58279013, "gamma": 0.64142257}}""");

        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path, "law", "optimize-schedule", "--law", "mpl", "--params", "p.json",
            "--total-steps", "6000", "--peak-lr", "3e-4", "--warmup-steps", "500", "--out", "opt.csv", "--json");

        Assert.True(exitCode == 0, stderr);
        using var document = JsonDocument.Parse(stdout);
        var losses = document.RootElement.GetProperty("predicted_final_loss");
        var optimal = losses.GetProperty("optimal").GetDouble();
        foreach (var baseline in new[] { "cosine", "wsd", "linear" })
        {
            Assert.True(optimal < losses.GetProperty(baseline).GetDouble(), baseline);
        }

        // The CSV is a table schedule: one LR per step, readable back, non-increasing after warmup.
        var (values, errors) = Sweeps.Core.Curves.LrTable.Read(Path.Combine(scratch.Path, "opt.csv"));
        Assert.Empty(errors);
        Assert.Equal(6000, values.Length);
        Assert.Equal(3e-4, values[500]);
        for (var s = 501; s < values.Length; s++)
        {
            Assert.True(values[s] <= values[s - 1]);
        }
    }

    [Fact]
    public async Task The_convex_bound_gets_an_optimum_below_every_baseline_and_its_best_peak()
    {
        using var scratch = new ScratchDirectory();
        scratch.Write("convex.json", """{"params": {"L_inf": 2.0, "D2": 3.0, "G2": 5000}}""");

        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path, "law", "optimize-schedule", "--law", "convex", "--params", "convex.json",
            "--total-steps", "3000", "--peak-lr", "3e-4", "--warmup-steps", "300", "--out", "opt.csv", "--json");

        Assert.True(exitCode == 0, stderr);
        using var document = JsonDocument.Parse(stdout);
        var losses = document.RootElement.GetProperty("predicted_final_loss");
        foreach (var baseline in new[] { "cosine", "wsd", "linear" })
        {
            Assert.True(losses.GetProperty("optimal").GetDouble() < losses.GetProperty(baseline).GetDouble(), baseline);
        }

        Assert.Equal("descent", document.RootElement.GetProperty("method").GetString());
        Assert.True(document.RootElement.GetProperty("optimal_peak_lr_for_shape").GetDouble() > 0);
        Assert.True(document.RootElement.GetProperty("final_loss_at_optimal_peak").GetDouble() <= losses.GetProperty("optimal").GetDouble());
    }

    [Fact]
    public async Task Opt_laws_search_their_family_and_need_a_model_size()
    {
        using var scratch = new ScratchDirectory();
        var (missing, _, missingError) = await SweepsProcess.RunAsync(scratch.Path, "law", "optimize-schedule", "--law", "opt-laws",
            "--total-steps", "23842", "--peak-lr", "1e-3", "--warmup-steps", "2000");
        Assert.Equal(2, missing);
        Assert.Contains("--model-size", missingError);

        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path, "law", "optimize-schedule", "--law", "opt-laws", "--model-size", "4.05e9",
            "--total-steps", "23842", "--peak-lr", "1e-3", "--warmup-steps", "2000", "--json");
        Assert.True(exitCode == 0, stderr);
        using var document = JsonDocument.Parse(stdout);
        var losses = document.RootElement.GetProperty("predicted_final_loss");
        Assert.True(losses.GetProperty("optimal").GetDouble() <= losses.GetProperty("wsd").GetDouble());
        Assert.Equal(1e-3, document.RootElement.GetProperty("schedule").GetProperty("eta1").GetDouble());
    }

    [Fact]
    public async Task An_unknown_law_exits_2_naming_the_known_ones()
    {
        using var scratch = new ScratchDirectory();
        var (exitCode, _, stderr) = await SweepsProcess.RunAsync(scratch.Path, "law", "optimize-schedule", "--law", "chinchilla",
            "--total-steps", "100", "--peak-lr", "3e-4");
        Assert.Equal(2, exitCode);
        Assert.Contains("mpl, convex, opt-laws", stderr);
    }

    [Fact]
    public async Task A_warmup_longer_than_training_exits_2()
    {
        using var scratch = new ScratchDirectory();
        scratch.Write("p.json", """{"params": {"L0": 3, "A": 0.5, "alpha": 0.5, "B": 300, "C": 2, "beta": 0.5, "gamma": 0.5}}""");
        var (exitCode, _, stderr) = await SweepsProcess.RunAsync(scratch.Path, "law", "optimize-schedule", "--params", "p.json",
            "--total-steps", "100", "--peak-lr", "3e-4", "--warmup-steps", "200");
        Assert.Equal(2, exitCode);
        Assert.Contains("--warmup-steps", stderr);
    }
}

[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public class OptLawsCommandTests
{
    [Fact]
    public async Task Opt_laws_predicts_table_1_row_1_and_flags_the_diverging_run()
    {
        using var scratch = new ScratchDirectory();
        // Table 1 row 1: 8×0.6B (4.05B parameters), 300B tokens = 71,525.57 steps of 2048×2048, peak 1e-3, warmup 500; the paper predicts 1.984.
        var (exitCode, stdout, _) = await SweepsProcess.RunAsync(scratch.Path, "law", "opt-laws", "--model-size", "4.05e9",
            "--total-steps", "71525.57", "--peak-lr", "1e-3", "--warmup-steps", "500", "--json");
        Assert.Equal(0, exitCode);
        using var document = JsonDocument.Parse(stdout);
        Assert.Equal(1.984, document.RootElement.GetProperty("predicted_final_loss").GetDouble(), 0.002);
        Assert.False(document.RootElement.GetProperty("diverges").GetBoolean());

        // §4.2: 8×0.1B, 10B tokens, warmup 256 at 9e-3 diverged.
        var (_, diverging, _) = await SweepsProcess.RunAsync(scratch.Path, "law", "opt-laws", "--model-size", "0.58e9",
            "--total-steps", "2384.19", "--peak-lr", "9e-3", "--warmup-steps", "256");
        Assert.Contains("predicted to diverge", diverging);
    }

    [Fact]
    public async Task Inputs_outside_the_fitted_range_are_warned_of_and_inputs_inside_are_not()
    {
        using var scratch = new ScratchDirectory();
        // The case: 0.58e9 parameters, 715 steps (3B tokens), warmup 7 steps (fitted: 128–6,000).
        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path, "law", "opt-laws", "--model-size", "0.58e9",
            "--total-steps", "715", "--peak-lr", "1e-3", "--warmup-steps", "7", "--json");
        Assert.Equal(0, exitCode);
        var warnings = JsonDocument.Parse(stdout).RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).ToList();
        Assert.Contains(warnings, w => w!.Contains("warmup 7 steps is outside the fitted 128–6,000 steps"));
        Assert.Contains("warning: warmup 7", stderr);

        // Table 1 row 1 is inside: no warning.
        var (_, inside, _) = await SweepsProcess.RunAsync(scratch.Path, "law", "opt-laws", "--model-size", "4.05e9",
            "--total-steps", "71525.57", "--peak-lr", "1e-3", "--warmup-steps", "500", "--json");
        Assert.Empty(JsonDocument.Parse(inside).RootElement.GetProperty("warnings").EnumerateArray());
    }
}

[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public class SweepCurvesLawFitTests
{
    [Fact]
    public async Task A_sweeps_own_curves_fit_through_its_curve_manifest_without_warnings()
    {
        // The twin's curves with a warmup, as `sweeps run` leaves them (steps counting updates, the
        // last at total_steps), fitted as they are through the curves.yaml it writes beside them. The
        // runs at 5e-2 diverge: their curves are written but not listed, as the sweep's fits leave
        // them out (listed, their exploding losses made the multi-scale fit fail outright).
        using var scratch = new ScratchDirectory();
        scratch.Write("twin.yaml", """
            name: twin-curves
            simulator: {name: mpl-surrogate}
            grid:
              peak_lr: [3.0e-4, 5.0e-2]
              warmup_steps: 200
              model_size: 1.0e8
              total_steps: [3000, 6000]
              schedule: [cosine, wsd, constant]
            schedules:
              cosine: {kind: cosine, final_lr_ratio: 0.1}
              wsd: {kind: wsd, decay_fraction: 0.2, decay_shape: linear, final_lr_ratio: 0.0}
            curve_points: 100
            """);
        var (runExit, runOut, runErr) = await SweepsProcess.RunAsync(scratch.Path, "run", "twin.yaml", "--data-dir", "out", "--json");
        Assert.True(runExit == 0, runErr);
        Assert.Equal(6, JsonDocument.Parse(runOut).RootElement.GetProperty("counts").GetProperty("diverged").GetInt32());
        var manifest = File.ReadAllText(Path.Combine(scratch.Path, "out", "curves.yaml"));
        Assert.Contains("# Not listed: 6 curves of runs without a final loss (diverged)", manifest);
        Assert.Equal(12, Directory.GetFiles(Path.Combine(scratch.Path, "out", "curves")).Length);

        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path,
            "law", "fit", "mpl", "--curves", "out/curves.yaml", "--method", "optimum", "--json");

        Assert.True(exitCode == 0, stderr);
        Assert.DoesNotContain("warning", stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Empty(root.GetProperty("warnings").EnumerateArray());
        Assert.Equal(6, root.GetProperty("train").EnumerateObject().Count());
        // The twin is the law plus 7e-4 noise on losses near 3: the fit tracks every curve.
        Assert.True(root.GetProperty("summary").GetProperty("train").GetProperty("pred_e").GetDouble() < 1e-3, stdout);
    }
}
