using Sweeps.Core.Grid;
using Sweeps.Core.Schedules;
using Sweeps.Core.Specs;

namespace Sweeps.Core.Tests;

public class SweepSpecParserTests
{
    private static readonly System.Text.Json.JsonSerializerOptions SpecJson = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private const string Valid = """
        name: test
        simulator: {name: quadratic, options: {noise: 0.5}}
        grid:
          peak_lr: {log_space: [0.01, 1.0], points: 3}
          warmup_steps: [0, 10]
          model_size: [8, 16]
          total_steps: [100, 200]
          schedule: [cosine, wsd]
          batch_size: [1, 4]
        schedules:
          cosine: {kind: cosine, final_lr_ratio: 0.1}
        seeds: 2
        """;

    private static SweepSpecParse Parse(string yaml, long? maxRuns = null) => new SweepSpecParser(new TestCatalog()).Parse(yaml, null, maxRuns);

    [Fact]
    public void A_valid_spec_expands_to_the_product_of_its_axes()
    {
        var parse = Parse(Valid);

        Assert.Empty(parse.Errors);
        var spec = parse.Spec!;
        Assert.Equal([0.01, 0.1, 1.0], spec.PeakLr.Select(v => Math.Round(v, 12)));
        Assert.Equal(0.5, spec.Options["noise"]);
        Assert.Equal(["cosine", "wsd"], spec.Schedules.Select(s => s.Name));
        Assert.Equal(0.2, spec.Schedules[1].Template.DecayFraction); // the built-in wsd
        Assert.Equal([0, 1], spec.Seeds);
        Assert.Equal(3L * 2 * 2 * 2 * 2 * 2 * 2, new SweepGrid(spec).Count);
    }

    [Fact]
    public void The_grid_gives_each_index_its_own_combination_in_axis_order()
    {
        var grid = new SweepGrid(Parse(Valid).Spec!);
        var runs = grid.Runs().ToList();

        Assert.Equal(runs.Count, runs.Select(r => (r.ModelSize, r.TotalSteps, r.ScheduleName, r.WarmupSteps, r.PeakLr, r.Options["batch_size"], r.Seed)).Distinct().Count());
        Assert.Equal(runs.Count, runs.Select(r => r.RunId).Distinct().Count());
        Assert.Equal(1, runs[1].Seed);                      // seeds vary fastest
        Assert.Equal(16, runs[^1].ModelSize);               // model size slowest
        var last = runs[^1].Schedule;
        Assert.Equal((ScheduleKind.Wsd, 1.0, 10, 200), (last.Kind, last.PeakLr!.Value, last.WarmupSteps, last.TotalSteps));
    }

    [Fact]
    public void Negative_lr_and_unknown_simulator_are_both_reported_with_their_paths()
    {
        var errors = Parse("""
            name: bad
            simulator: warp-drive
            grid: {peak_lr: [-0.1, 0.2], model_size: [8], total_steps: [100]}
            """).Errors;

        Assert.Contains(errors, e => e.Path == "simulator" && e.Message.Contains("unknown simulator 'warp-drive'") && e.Message.Contains("quadratic"));
        Assert.Contains(errors, e => e.Path == "grid.peak_lr[0]" && e.Message.Contains("must be > 0"));
    }

    [Fact]
    public void Unknown_keys_are_reported_at_every_level_with_line_numbers()
    {
        var errors = Parse(Valid.Replace("seeds: 2", "seeds: 2\ncolour: blue").Replace("{noise: 0.5}", "{noise: 0.5, nois: 1}")).Errors;

        Assert.Contains(errors, e => e.Path == "colour" && e.Message.StartsWith("unknown key") && e.Line == 13);
        // The allowed keys include the optional ones the spec left out (they were read only if present).
        var allowed = Assert.Single(errors, e => e.Path == "colour").Message;
        Assert.All(new[] { "runs_per_task", "bootstrap", "max_runs", "laws", "schedules" }, key => Assert.Contains(key, allowed));
        // An unknown simulator option names every option the simulator has, and is reported once.
        var nois = Assert.Single(errors, e => e.Path == "simulator.options.nois");
        foreach (var option in new TestCatalog().Simulators.Single().Options)
        {
            Assert.Contains(option.Name, nois.Message);
        }
    }

    [Fact]
    public void Option_axes_must_be_options_of_the_simulator_and_in_range()
    {
        var errors = Parse(Valid.Replace("batch_size: [1, 4]", "batch_size: [0.5]\n  momentum: [0.9]")).Errors;

        Assert.Contains(errors, e => e.Path == "grid.batch_size[0]");
        Assert.Contains(errors, e => e.Path == "grid.momentum" && e.Message.Contains("nor an option of simulator quadratic"));
    }

    [Fact]
    public void A_schedule_impossible_for_some_grid_point_is_refused_before_anything_runs()
    {
        var errors = Parse(Valid.Replace("warmup_steps: [0, 10]", "warmup_steps: [0, 150]")).Errors;

        var error = Assert.Single(errors, e => e.Path == "grid.warmup_steps");
        Assert.Contains("total_steps 100", error.Message);
    }

    [Fact]
    public void Templates_must_not_set_what_the_grid_sets()
    {
        var errors = Parse(Valid.Replace("{kind: cosine, final_lr_ratio: 0.1}", "{kind: cosine, peak_lr: 0.3}")).Errors;
        Assert.Contains(errors, e => e.Path == "schedules.cosine.peak_lr");
    }

    [Fact]
    public void Runs_per_task_is_read_bounded_and_left_out_of_the_spec_json_when_unset()
    {
        var plain = Parse(Valid).Spec!;
        var tasks = Parse(Valid.Replace("seeds: 2", "seeds: 2\nruns_per_task: 64")).Spec!;

        Assert.Equal(1, plain.TaskSize);
        Assert.Equal(64, tasks.TaskSize);
        // Sweep ids hash the spec's JSON: a spec written before runs_per_task existed keeps its id.
        Assert.DoesNotContain("RunsPerTask", System.Text.Json.JsonSerializer.Serialize(plain, SpecJson));
        Assert.Contains("\"RunsPerTask\":64", System.Text.Json.JsonSerializer.Serialize(tasks, SpecJson));
        var error = Assert.Single(Parse(Valid.Replace("seeds: 2", "seeds: 2\nruns_per_task: 0")).Errors);
        Assert.Equal("runs_per_task", error.Path);
    }

    [Fact]
    public void Reuse_is_on_unless_turned_off_and_left_out_of_the_spec_json_when_unset()
    {
        Assert.Null(Parse(Valid).Spec!.Reuse);
        Assert.Null(Parse(Valid + "\nreuse: true").Spec!.Reuse);
        Assert.False(Parse(Valid + "\nreuse: false").Spec!.Reuse);
        Assert.DoesNotContain("Reuse", System.Text.Json.JsonSerializer.Serialize(Parse(Valid + "\nreuse: true").Spec!, SpecJson));
        var error = Assert.Single(Parse(Valid + "\nreuse: sometimes").Errors);
        Assert.Equal(("reuse", "must be true or false, got 'sometimes'"), (error.Path, error.Message));
    }

    [Fact]
    public void Bootstrap_is_read_bounded_and_left_out_of_the_spec_json_when_unset()
    {
        Assert.Null(Parse(Valid).Spec!.Bootstrap);
        Assert.DoesNotContain("Bootstrap", System.Text.Json.JsonSerializer.Serialize(Parse(Valid).Spec!, SpecJson));
        Assert.Equal(0, Parse(Valid.Replace("seeds: 2", "seeds: 2\nbootstrap: 0")).Spec!.Bootstrap);
        Assert.Equal(200, Parse(Valid.Replace("seeds: 2", "seeds: 2\nbootstrap: 200")).Spec!.Bootstrap);
        var error = Assert.Single(Parse(Valid.Replace("seeds: 2", "seeds: 2\nbootstrap: -1")).Errors);
        Assert.Equal("bootstrap", error.Path);
        Assert.Contains("[0, 10000]", error.Message);
    }

    [Fact]
    public void Grids_over_max_runs_are_refused()
    {
        var error = Assert.Single(Parse(Valid, maxRuns: 100).Errors);
        Assert.Equal("grid", error.Path);
        Assert.Contains("192 runs exceed max_runs 100", error.Message);
    }

    [Fact]
    public void A_million_by_million_grid_is_refused_without_overflow()
    {
        var errors = Parse(Valid.Replace("{log_space: [0.01, 1.0], points: 3}", "{log_space: [0.01, 1.0], points: 100000}")
            .Replace("model_size: [8, 16]", "model_size: {lin_space: [1, 100000], points: 100000}")).Errors;
        Assert.Contains(errors, e => e.Path == "grid" && e.Message.Contains("exceed max_runs 1,000,000"));
    }

    [Theory]
    [InlineData("peak_lr: {log_space: [0, 1], points: 3}", "grid.peak_lr.log_space")]
    [InlineData("peak_lr: {lin_space: [1, 0.1], points: 3}", "grid.peak_lr.lin_space")]
    [InlineData("peak_lr: {log_space: [0.1, 1]}", "grid.peak_lr.points")]
    [InlineData("peak_lr: []", "grid.peak_lr")]
    public void Malformed_axes_are_reported(string axis, string path)
    {
        var errors = Parse(Valid.Replace("peak_lr: {log_space: [0.01, 1.0], points: 3}", axis)).Errors;
        Assert.Contains(errors, e => e.Path == path);
    }

    [Fact]
    public void Invalid_yaml_is_reported_with_its_line()
    {
        var error = Assert.Single(Parse("name: x\ngrid: [\n").Errors);
        Assert.Contains("not valid YAML", error.Message);
        Assert.NotNull(error.Line);
    }

    [Fact]
    public void Missing_sections_are_each_reported()
    {
        var paths = Parse("description: nothing else").Errors.Select(e => e.Path).ToList();
        Assert.Contains("name", paths);
        Assert.Contains("simulator", paths);
        Assert.Contains("grid", paths);
    }
}
