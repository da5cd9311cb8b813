using System.Text.Json;
using Sweeps.Tests;

namespace Sweeps.Cli.Tests;

[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public class BenchCommandTests
{
    [Fact]
    public async Task Bench_laws_measures_every_part_against_its_in_process_baseline()
    {
        // A short Adam baseline keeps the test quick; the ratios, not the times, are what can be checked.
        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(RepositoryPaths.Root, "bench", "laws",
            "--curves", RepositoryPaths.Mpl25mManifest, "--adam-steps", "200", "--json");

        Assert.True(exitCode == 0, stderr);
        using var document = JsonDocument.Parse(stdout);
        var root = document.RootElement;

        // The published parameters reproduce the published held-out figures (R² 0.99880, PredE 0.00110).
        var published = root.GetProperty("mpl_fit").GetProperty("published_params_test");
        Assert.Equal(0.99880, published.GetProperty("r2").GetDouble(), 1e-4);
        Assert.Equal(0.00110, published.GetProperty("pred_e").GetDouble(), 1e-4);
        // The fit reaches a lower training objective than the published parameters, and reports it consistently.
        var fit = root.GetProperty("mpl_fit");
        Assert.True(fit.GetProperty("objective").GetDouble() < fit.GetProperty("published_params_objective").GetDouble());
        Assert.Equal(fit.GetProperty("objective").GetDouble(), fit.GetProperty("objective_recomputed").GetDouble(), 1e-9);

        Assert.True(root.GetProperty("mpl_evaluate").GetProperty("ratio").GetDouble() < 1);
        var schedule = root.GetProperty("schedule");
        Assert.True(schedule.GetProperty("predicted_final_loss").GetDouble() < schedule.GetProperty("adam_predicted_final_loss").GetDouble());
        Assert.Equal(0.34, root.GetProperty("chinchilla").GetProperty("params").GetProperty("alpha").GetDouble(), 0.03);
    }

    [Fact]
    public async Task Bench_cluster_times_a_sweep_against_the_same_kernels_run_bare()
    {
        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(RepositoryPaths.Root, "bench", "cluster", "--runs", "200", "--steps", "200", "--curve-points", "20", "--json");

        Assert.True(exitCode == 0, stderr);
        using var document = JsonDocument.Parse(stdout);
        var root = document.RootElement;
        Assert.Equal(200, root.GetProperty("runs").GetInt32());
        var baseline = root.GetProperty("baseline");
        var embedded = Assert.Single(root.GetProperty("setups").EnumerateArray());
        // The figures agree with each other: runs/s is runs over seconds, the ratio is against the baseline's seconds,
        // and a sweep (activation, storage, messages per run) cannot beat the bare kernels.
        Assert.Equal(200 / embedded.GetProperty("seconds").GetDouble(), embedded.GetProperty("runs_per_second").GetDouble(), 1e-6);
        Assert.Equal(embedded.GetProperty("seconds").GetDouble() / baseline.GetProperty("seconds").GetDouble(), embedded.GetProperty("ratio_to_baseline").GetDouble(), 1e-9);
        Assert.True(embedded.GetProperty("ratio_to_baseline").GetDouble() > 1);
        Assert.Equal(20, root.GetProperty("curve_points").GetInt32());
        // The overhead's split: CPU beyond the bare kernels' and worker time left idle, per run.
        var (workers, cpu) = (baseline.GetProperty("workers").GetInt32(), embedded.GetProperty("cpu_seconds").GetDouble());
        Assert.True(cpu > 0 && baseline.GetProperty("cpu_seconds").GetDouble() > 0);
        Assert.Equal((cpu - baseline.GetProperty("cpu_seconds").GetDouble()) * 1e3 / 200, embedded.GetProperty("extra_cpu_ms_per_run").GetDouble(), 1e-9);
        Assert.Equal((workers * embedded.GetProperty("seconds").GetDouble() - cpu) * 1e3 / 200, embedded.GetProperty("idle_ms_per_run").GetDouble(), 1e-9);
    }

    [Fact]
    public async Task Bench_adaptive_replays_a_sweep_under_each_stopping_rule_against_its_full_grid()
    {
        using var scratch = new ScratchDirectory();
        var spec = scratch.Write("small.yaml", """
            name: small-adaptive
            simulator: {name: mpl-surrogate, options: {eval_noise: 0.0007}}
            grid:
              peak_lr: {log_space: [2.0e-4, 3.2e-3], points: 5}
              warmup_steps: 100
              model_size: 2.5e7
              total_steps: [1000, 2000]
              schedule: [cosine, wsd, constant]
            curve_points: 50
            concurrency: 4
            laws: [optimal_lr]
            """);

        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(RepositoryPaths.Root, "bench", "adaptive", spec, "--json");

        Assert.True(exitCode == 0, stderr);
        using var document = JsonDocument.Parse(stdout);
        var only = Assert.Single(document.RootElement.GetProperty("cases").EnumerateArray());
        Assert.Equal("small-adaptive", only.GetProperty("name").GetString());
        Assert.Equal(30, only.GetProperty("runs").GetInt32());
        var methods = only.GetProperty("methods");
        Assert.Equal(["asha", "full", "law", "median"], methods.EnumerateObject().Select(m => m.Name).Order());
        var full = methods.GetProperty("full");
        Assert.Equal(1.0, full.GetProperty("steps_share").GetDouble());
        Assert.Equal(0.0, full.GetProperty("max_regret").GetDouble());
        Assert.Equal(0.0, full.GetProperty("eta_star_shift").GetDouble());
        Assert.Equal(0, full.GetProperty("stopped").GetInt32());
        foreach (var method in methods.EnumerateObject())
        {
            Assert.InRange(method.Value.GetProperty("steps_share").GetDouble(), 0.0, 1.0);
            Assert.True(method.Value.GetProperty("max_regret").GetDouble() >= 0);
            // A rule that stopped runs simulated fewer steps.
            Assert.Equal(method.Value.GetProperty("stopped").GetInt32() > 0, method.Value.GetProperty("steps_share").GetDouble() < 1);
        }

        Assert.True(document.RootElement.GetProperty("elapsed_seconds").GetDouble() > 0);
        await CliAssert.ExitsWithBadInputAsync(scratch.Path, "no-such.yaml", "bench", "adaptive", "no-such.yaml");
    }

    [Fact]
    public async Task Bench_cluster_refuses_a_sweep_too_small_to_time()
    {
        using var scratch = new ScratchDirectory();
        await CliAssert.ExitsWithBadInputAsync(scratch.Path, "--runs and --steps: at least 10", "bench", "cluster", "--runs", "3");
        await CliAssert.ExitsWithBadInputAsync(scratch.Path, "--repeats: 1–20", "bench", "cluster", "--repeats", "0");
    }

    [Fact]
    public async Task Bench_laws_without_the_curves_exits_2_naming_the_option()
    {
        using var scratch = new ScratchDirectory();
        await CliAssert.ExitsWithBadInputAsync(scratch.Path, "nowhere.yaml", "bench", "laws", "--curves", "nowhere.yaml");
    }
}

[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public class BenchKernelsCommandTests
{
    [Fact]
    public async Task Bench_kernels_reports_every_simulator_with_its_simd_path_agreeing_with_the_scalar_one()
    {
        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(RepositoryPaths.Root, "bench", "kernels", "--json");

        Assert.True(exitCode == 0, stderr);
        using var document = JsonDocument.Parse(stdout);
        var kernels = document.RootElement.GetProperty("kernels").EnumerateArray().ToList();
        Assert.Equal(["quadratic", "random-feature", "river-valley", "bigram-lm", "mpl-surrogate"], kernels.Select(k => k.GetProperty("name").GetString()));
        foreach (var kernel in kernels)
        {
            Assert.True(kernel.GetProperty("max_rel_diff_vs_scalar").GetDouble() < 1e-9);
            Assert.True(kernel.GetProperty("simd_speedup").GetDouble() > 0);
            Assert.True(kernel.GetProperty("throughput").GetDouble() > 0 && kernel.GetProperty("gflops").GetDouble() > 0);
            Assert.False(string.IsNullOrEmpty(kernel.GetProperty("throughput_unit").GetString()));
        }
    }
}
