using Sweeps.Tests;

namespace Sweeps.Cli.Tests;

[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public class ValidateCommandTests
{
    [Fact]
    public async Task A_negative_lr_and_an_unknown_simulator_exit_2_naming_both()
    {
        using var scratch = new ScratchDirectory();
        scratch.Write("bad.yaml", """
            name: bad
            simulator: warp-drive
            grid:
              peak_lr: [-0.1, 0.1]
              model_size: [8]
              total_steps: [100]
            """);

        var stderr = await CliAssert.ExitsWithBadInputAsync(scratch.Path, "bad.yaml:2: simulator: unknown simulator 'warp-drive'", "validate", "bad.yaml");
        Assert.Contains("bad.yaml:4: grid.peak_lr[0]: must be > 0", stderr);
    }

    [Fact]
    public async Task The_quickstart_example_is_valid_and_has_at_least_100_runs()
    {
        var (exitCode, stdout, _) = await SweepsProcess.RunAsync(RepositoryPaths.Root, "validate", "examples/quickstart.yaml");

        Assert.Equal(0, exitCode);
        var runs = int.Parse(System.Text.RegularExpressions.Regex.Match(stdout, @"valid; ([\d,]+) runs").Groups[1].Value.Replace(",", ""));
        Assert.True(runs >= 100, stdout);
    }

    [Fact]
    public async Task The_adaptive_example_is_valid_and_says_what_the_sweep_will_do_on_its_own()
    {
        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(RepositoryPaths.Root, "validate", "examples/adaptive.yaml");

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("valid; 126 runs of simulator mpl-surrogate; runs stopped early by rule law, up to 72 runs added where the optimal peak LR is not resolved", stdout);
    }

    [Fact]
    public async Task A_stopping_rules_fit_file_is_read_with_the_spec_and_one_that_is_no_fit_of_its_law_exits_2()
    {
        using var scratch = new ScratchDirectory();
        const string spec = """
            name: fitted
            simulator: mpl-surrogate
            grid:
              peak_lr: [3.0e-4, 6.0e-4]
              model_size: [2.5e7]
              total_steps: [2000]
            adaptive:
              stop: {fit: fits/FILE}
            """;
        scratch.Write("good.yaml", spec.Replace("FILE", "good.json"));
        scratch.Write("bad.yaml", spec.Replace("FILE", "bad.json"));
        Directory.CreateDirectory(Path.Combine(scratch.Path, "fits"));
        scratch.Write("fits/good.json", """{"law": "mpl", "params": {"L0": 3.2, "A": 0.5, "alpha": 0.5, "B": 400, "C": 2, "beta": 0.6, "gamma": 0.6}}""");
        scratch.Write("fits/bad.json", """{"law": "mpl", "params": {"L0": 3.2}}""");

        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(scratch.Path, "validate", "good.yaml");
        Assert.True(exitCode == 0, stderr);
        Assert.Contains("runs stopped early by rule law (mpl predicted from fits/good.json from each run's first checkpoint)", stdout);
        var run = await SweepsProcess.RunAsync(scratch.Path, "run", "good.yaml", "--data-dir", "data");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("stopped early (rule law, mpl from fits/good.json): ", run.Stdout);
        await CliAssert.ExitsWithBadInputAsync(scratch.Path, "bad.yaml: adaptive.stop.fit: fits/bad.json: not a usable mpl fit: mpl parameters lack A, alpha", "validate", "bad.yaml");
    }

    [Theory]
    [InlineData("random-feature")]
    [InlineData("river-valley")]
    [InlineData("bigram-lm")]
    [InlineData("mpl-surrogate")]
    public async Task Each_simulator_example_runs_to_completion(string simulator)
    {
        using var scratch = new ScratchDirectory();
        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(RepositoryPaths.Root, "run", $"examples/{simulator}.yaml", "--data-dir", scratch.Path, "--json");

        Assert.True(exitCode == 0, stderr);
        using var document = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.Equal("completed", document.RootElement.GetProperty("state").GetString());
        Assert.True(document.RootElement.GetProperty("counts").GetProperty("succeeded").GetInt32() > 0);
    }

    [Fact]
    public async Task A_wsd_decay_start_sweep_simulates_its_shared_stable_phase_once()
    {
        // Runs that differ only in where WSD decays share their first steps; a silo continues them from
        // each other's checkpoints. How much is shared depends on how many start at once (2 kernel
        // workers here: about 55%); with any sharing at all, fewer steps are simulated than run.
        using var scratch = new ScratchDirectory();
        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(RepositoryPaths.Root, "run", "examples/wsd-decay-sweep.yaml", "--data-dir", scratch.Path, "--json");

        Assert.True(exitCode == 0, stderr);
        using var document = System.Text.Json.JsonDocument.Parse(stdout);
        var steps = document.RootElement.GetProperty("steps");
        Assert.Equal(60 * 8000, steps.GetProperty("total").GetInt64());
        Assert.True(steps.GetProperty("simulated").GetInt64() < steps.GetProperty("total").GetInt64(), steps.ToString());
    }

    [Fact]
    public async Task A_missing_file_exits_2()
    {
        using var scratch = new ScratchDirectory();
        await CliAssert.ExitsWithBadInputAsync(scratch.Path, "nope.yaml: cannot read", "validate", "nope.yaml");
    }

    [Fact]
    public async Task An_unknown_command_line_option_exits_2()
    {
        using var scratch = new ScratchDirectory();
        var (exitCode, _, _) = await SweepsProcess.RunAsync(scratch.Path, "validate", "x.yaml", "--frobnicate");
        Assert.Equal(2, exitCode);
    }

    [Fact]
    public async Task Init_writes_a_sample_spec_that_validates()
    {
        using var scratch = new ScratchDirectory();
        Assert.Equal(0, (await SweepsProcess.RunAsync(scratch.Path, "init", "mine.yaml")).ExitCode);
        Assert.Equal(0, (await SweepsProcess.RunAsync(scratch.Path, "validate", "mine.yaml")).ExitCode);
        Assert.Equal(2, (await SweepsProcess.RunAsync(scratch.Path, "init", "mine.yaml")).ExitCode); // no silent overwrite
    }
}
