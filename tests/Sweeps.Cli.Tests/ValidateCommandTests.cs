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
