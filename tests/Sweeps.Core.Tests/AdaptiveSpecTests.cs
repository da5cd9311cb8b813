using Sweeps.Core.Specs;

namespace Sweeps.Core.Tests;

public class AdaptiveSpecTests
{
    private const string Base = """
        name: adaptive
        simulator: quadratic
        grid:
          peak_lr: [0.01, 0.1, 1.0]
          model_size: [8]
          total_steps: [100]
        """;

    private static SweepSpecParse Parse(string adaptive) => new SweepSpecParser(new TestCatalog()).Parse(Base + "\n" + adaptive);

    [Fact]
    public void The_issue_example_chooses_the_law_rule_with_its_settings_and_the_rest_defaulted()
    {
        var parse = Parse("adaptive: {stop: {law: mpl, after: 0.25, margin: 0.002}}");

        Assert.Empty(parse.Errors);
        var stop = parse.Spec!.Stopping!;
        Assert.Equal(new StoppingSettings { Rule = StoppingRuleKind.Law, Law = "mpl", After = 0.25, Margin = 0.002 }, stop);
        Assert.Equal(0.9, stop.Confidence);
    }

    [Theory]
    [InlineData("adaptive: {stop: asha}", StoppingRuleKind.Asha)]
    [InlineData("adaptive: {stop: median}", StoppingRuleKind.Median)]
    [InlineData("adaptive: {stop: law}", StoppingRuleKind.Law)]
    [InlineData("adaptive: {stop: {rule: asha, reduction_factor: 4, min_resource: 0.05}}", StoppingRuleKind.Asha)]
    [InlineData("adaptive: {stop: {rule: median, startup_runs: 3, after: 0.2}}", StoppingRuleKind.Median)]
    public void A_rule_is_named_alone_or_with_its_settings(string yaml, StoppingRuleKind rule) =>
        Assert.Equal(rule, Parse(yaml).Spec!.Stopping!.Rule);

    [Fact]
    public void Every_bad_setting_is_reported_with_its_path()
    {
        var errors = Parse("""
            adaptive:
              stop:
                rule: asha
                after: 1.5
                margin: 0.01
                reduction_factor: 1
                colour: red
            """).Errors;

        Assert.Contains(errors, e => e.Path == "adaptive.stop.after" && e.Message.Contains("(0, 1)"));
        Assert.Contains(errors, e => e.Path == "adaptive.stop.after" && e.Message.Contains("rule law and median, not of rule asha"));
        Assert.Contains(errors, e => e.Path == "adaptive.stop.margin" && e.Message.Contains("not of rule asha"));
        Assert.Contains(errors, e => e.Path == "adaptive.stop.reduction_factor" && e.Message.Contains("[2, 100]"));
        Assert.Contains(errors, e => e.Path == "adaptive.stop.colour" && e.Message.StartsWith("unknown key") && e.Message.Contains("startup_runs"));
        Assert.All(errors, e => Assert.NotNull(e.Line));
    }

    [Theory]
    [InlineData("adaptive: {stop: hyperband}", "adaptive.stop", "unknown stopping rule 'hyperband' (one of law, asha, median)")]
    [InlineData("adaptive: {stop: {law: chinchilla}}", "adaptive.stop.law", "unknown curve law 'chinchilla'")]
    [InlineData("adaptive: {stop: {confidence: 0.999}}", "adaptive.stop.confidence", "[0.5, 0.99]")]
    [InlineData("adaptive: {stop: {rule: median, law: mpl}}", "adaptive.stop.law", "a setting of rule law, not of rule median")]
    [InlineData("adaptive: {}", "adaptive", "is empty")]
    [InlineData("adaptive: {refine: {axis: warmup_steps}}", "adaptive.refine.axis", "only peak_lr is refined")]
    [InlineData("adaptive: {refine: {until: 0}}", "adaptive.refine.until", "(0, 3]")]
    [InlineData("adaptive: {refine: {max_added_runs: 0}}", "adaptive.refine.max_added_runs", "[1, 1000000]")]
    [InlineData("adaptive: {refine: {axis: peak_lr, step: 2}}", "adaptive.refine.step", "unknown key")]
    [InlineData("adaptive: {refine: {axis: peak_lr}}\nruns_per_task: 8", "adaptive", "refine adds runs one by one")]
    [InlineData("adaptive: {stop: asha}\nruns_per_task: 8", "adaptive", "drop one of them")]
    public void A_wrong_section_is_refused_with_its_path(string yaml, string path, string message)
    {
        var parse = Parse(yaml);

        Assert.Null(parse.Spec);
        Assert.Contains(parse.Errors, e => e.Path == path && e.Message.Contains(message));
    }

    [Fact]
    public void Refine_takes_the_issue_example_and_defaults_its_budget_to_the_grid()
    {
        var refine = Parse("adaptive: {refine: {axis: peak_lr, until: 0.1, max_added_runs: 30}}").Spec!.Adaptive!.Refine!;
        var defaulted = Parse("adaptive: {refine: {}}").Spec!.Adaptive!;

        Assert.Equal(new RefineSettings { Axis = "peak_lr", Until = 0.1, MaxAddedRuns = 30 }, refine);
        Assert.Equal(new RefineSettings(), defaulted.Refine);
        Assert.Null(defaulted.Stop);
    }

    [Fact]
    public void A_spec_without_the_section_keeps_its_json_and_so_its_sweep_id()
    {
        var options = new System.Text.Json.JsonSerializerOptions { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
        var json = System.Text.Json.JsonSerializer.Serialize(Parse("").Spec!, options);
        var adaptive = System.Text.Json.JsonSerializer.Serialize(Parse("adaptive: {stop: asha}").Spec!, options);

        Assert.DoesNotContain("Adaptive", json);
        Assert.Contains("\"Rule\":\"Asha\"", adaptive);
    }

    private const string MplFit = """{"law": "mpl", "params": {"L0": 3.2, "A": 0.5, "alpha": 0.5, "B": 400, "C": 2, "beta": 0.6, "gamma": 0.6}, "method": "auto"}""";

    [Fact]
    public void A_fit_file_is_read_with_the_spec_relative_to_it_and_its_law_is_the_rules()
    {
        using var files = new TempFiles();
        files.Write("fit.json", MplFit);

        var parse = new SweepSpecParser(new TestCatalog()).Parse(Base + "\nadaptive: {stop: {fit: fit.json, margin: 0.001}}", files.Directory);

        Assert.Empty(parse.Errors);
        var stop = parse.Spec!.Stopping!;
        Assert.Equal(StoppingRuleKind.Law, stop.Rule);
        Assert.Equal("mpl", stop.Law);
        Assert.Equal("fit.json", stop.FitFile);
        Assert.Equal(3.2, stop.FitParameters!["L0"]);
        Assert.Equal(7, stop.FitParameters.Count);
        Assert.Equal(0.001, stop.Margin);
    }

    [Theory]
    [InlineData("{stop: {fit: absent.json}}", "absent.json: ")]
    [InlineData("{stop: {fit: garbage.json}}", "garbage.json: not a fit written by `sweeps law fit --out`: not JSON (line 1)")]
    [InlineData("{stop: {fit: lawless.json}}", "lawless.json: not a fit written by `sweeps law fit --out`: it has no \"law\" or no \"params\"")]
    [InlineData("{stop: {fit: fit.json, law: momentum}}", "fit.json holds a fit of law mpl, not of momentum as law: says")]
    [InlineData("{stop: {fit: chinchilla.json}}", "chinchilla.json holds a fit of law 'chinchilla'; a run's curve is predicted by a curve law")]
    [InlineData("{stop: {fit: empty.json}}", "must be finite numbers, and there must be some")]
    [InlineData("{stop: {rule: asha, fit: fit.json}}", "is a setting of rule law, not of rule asha")]
    public void A_fit_file_that_cannot_predict_curves_is_refused_at_its_key(string adaptive, string message)
    {
        using var files = new TempFiles();
        files.Write("fit.json", MplFit);
        files.Write("garbage.json", "law: mpl");
        files.Write("lawless.json", """{"params": {"L0": 3.2}}""");
        files.Write("chinchilla.json", """{"law": "chinchilla", "params": {"E": 1.7}}""");
        files.Write("empty.json", """{"law": "mpl", "params": {}}""");

        var parse = new SweepSpecParser(new TestCatalog()).Parse(Base + "\nadaptive: " + adaptive, files.Directory);

        Assert.Null(parse.Spec);
        var error = Assert.Single(parse.Errors);
        Assert.Equal("adaptive.stop.fit", error.Path);
        Assert.Contains(message, error.Message);
        Assert.NotNull(error.Line);
        Assert.DoesNotContain("law: mpl", error.Message); // a file's contents are never quoted back
    }
}
