using CsCheck;
using Sweeps.Core.Curves;
using Sweeps.Core.Grid;
using Sweeps.Core.Schedules;
using Sweeps.Core.Specs;
using Xunit.Abstractions;

namespace Sweeps.Core.Tests;

/// <summary>
/// Generated hostile input for every reader of user files: the spec parser, the curve manifest and
/// the curve CSV. Each must answer with errors (a path and a message each), never an exception, and
/// what it accepts must be runnable (a grid within max_runs, horizons within what a run can hold,
/// finite positive LRs). Each test reports how many inputs it tried.
/// </summary>
public sealed class GeneratedInputTests(ITestOutputHelper output)
{
    private const int Iterations = 2_000;

    private const string ValidSpec = """
        name: hostile
        simulator:
          name: quadratic
          options: {noise: 1.0}
        grid:
          peak_lr: {log_space: [0.01, 1.0], points: 4}
          warmup_steps: [0, 50]
          model_size: [32, 128]
          total_steps: [250, 1000]
          schedule: [cosine, wsd]
        schedules:
          cosine: {kind: cosine, final_lr_ratio: 0.1}
          wsd: {kind: wsd, decay_fraction: 0.2, decay_shape: linear}
        seeds: 2
        concurrency: 8
        curve_points: 16
        laws: [chinchilla]
        """;

    /// <summary>What YAML is made of, so that random text is often almost YAML (and reaches deep into the parser).</summary>
    private static readonly Gen<char> YamlishChar = Gen.Char["[]{}:,-&*!|>'\"#%@` \n\t0123456789.eE+-_abcnxyz\0\u00a0\ufeff\ud800"];

    private static readonly Gen<string> Yamlish = Gen.String[YamlishChar, 0, 120];

    /// <summary>Values a careless or hostile user writes where a number belongs.</summary>
    private static readonly string[] HostileValues =
    [
        ".nan", "NaN", ".inf", "-.inf", "1e308", "1e309", "-1e308", "4.9e-324", "0", "-0", "-1", "99999999999999999999",
        "2147483648", "-2147483649", "9223372036854775808", "1e300", "2000000000", "0x10", "1_000", "~", "null", "[]", "{}",
        "''", "[[[[1]]]]", "{log_space: [1e-300, 1e300], points: 100000}", "{lin_space: [0, 1e308], points: 3}",
        "{log_space: [0, 1], points: 3}", "{log_space: [1, .nan], points: 3}", "!!binary AA==", "*undefined", "&a 1",
        "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]",
    ];

    private static readonly string[] NumericKeys =
    [
        "peak_lr", "warmup_steps", "model_size", "total_steps", "seeds", "concurrency", "curve_points", "noise", "points",
        "final_lr_ratio", "decay_fraction", "max_runs", "runs_per_task",
    ];

    /// <summary>An exception's type, message and where it was thrown, for a failure's message.</summary>
    private static string Head(Exception e) => string.Join('\n', e.ToString().Split('\n').Take(8));

    /// <summary>Files are bytes: text with a lone surrogate (which random text has) is written as UTF-8 with replacement characters.</summary>
    private static string WriteFile(TempFiles files, string name, string text)
    {
        var path = Path.Combine(files.Directory, name);
        File.WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));
        return path;
    }

    /// <summary><paramref name="valid"/> with up to <paramref name="maxCut"/> characters at a random place replaced by <paramref name="insert"/>.</summary>
    private static Gen<string> Mutated(string valid, int maxCut, Gen<string> insert) =>
        from at in Gen.Int[0, valid.Length]
        from cut in Gen.Int[0, maxCut]
        from text in insert
        select valid[..at] + text + valid[Math.Min(valid.Length, at + cut)..];

    private static SweepSpecParse Parse(string yaml) => new SweepSpecParser(new TestCatalog()).Parse(yaml, Path.GetTempPath());

    /// <summary>Parses, and checks what any answer must satisfy; returns whether the spec was accepted.</summary>
    private static bool ParsesSafely(string yaml)
    {
        SweepSpecParse parse;
        try
        {
            parse = Parse(yaml);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"the parser threw {Head(e)}\n--- input ---\n{yaml}");
        }

        foreach (var error in parse.Errors)
        {
            Assert.False(string.IsNullOrWhiteSpace(error.Message), $"an error without a message at '{error.Path}'");
            Assert.DoesNotContain("\n   at ", error.Message); // no stack trace in a message
        }

        if (parse.Errors.Count > 0 || parse.Spec is not { } spec)
        {
            return false;
        }

        var grid = new SweepGrid(spec);
        Assert.InRange(grid.Count, 1, spec.MaxRuns);
        foreach (var index in new[] { 0, grid.Count / 2, grid.Count - 1 })
        {
            var run = grid.RunAt(index);
            Assert.True(double.IsFinite(run.PeakLr) && run.PeakLr > 0, $"run {index}: peak LR {run.PeakLr}");
            Assert.InRange(run.TotalSteps, 1, ScheduleValidator.MaximumTotalSteps);
            Assert.InRange(run.WarmupSteps, 0, run.TotalSteps);
            Assert.True(double.IsFinite(run.ModelSize) && run.ModelSize > 0, $"run {index}: model size {run.ModelSize}");
        }

        return true;
    }

    [Fact]
    public void The_valid_spec_these_tests_mutate_is_accepted() => Assert.True(ParsesSafely(ValidSpec));

    /// <summary>Input that once made YamlDotNet throw past its own YamlException must be one error (the generated tests find the other kinds).</summary>
    [Theory]
    [InlineData("name: a\ufeffb\n  x: @`%\n")]                // a byte-order mark mid-line: InvalidOperationException
    public void Yaml_the_reader_itself_chokes_on_is_one_error(string yaml)
    {
        Assert.False(ParsesSafely(yaml));
        Assert.Contains(Parse(yaml).Errors, e => e.Message.StartsWith("not valid YAML", StringComparison.Ordinal));
    }

    [Fact]
    public void Random_text_gets_errors_never_an_exception()
    {
        var tried = 0;
        Gen.OneOf(Yamlish, Gen.String[0, 200]).Sample(text =>
        {
            tried++;
            ParsesSafely(text);
        }, iter: Iterations);
        output.WriteLine($"random texts tried: {tried}");
    }

    [Fact]
    public void A_valid_spec_with_text_cut_inserted_or_replaced_anywhere_gets_errors_or_is_runnable()
    {
        var tried = 0;
        var accepted = 0;
        // Small edits often still parse: they test what is accepted.
        Mutated(ValidSpec, maxCut: 40, Gen.OneOf(Gen.String[YamlishChar, 0, 6], Yamlish)).Sample(yaml =>
        {
            tried++;
            accepted += ParsesSafely(yaml) ? 1 : 0;
        }, iter: Iterations);
        output.WriteLine($"mutated specs tried: {tried}, accepted (and checked runnable): {accepted}");
    }

    [Fact]
    public void Hostile_values_in_any_numeric_field_get_errors_or_a_runnable_spec()
    {
        var tried = 0;
        var accepted = 0;
        var injected =
            from key in Gen.OneOfConst(NumericKeys)
            from value in Gen.OneOfConst(HostileValues)
            select Inject(key, value);
        injected.Sample(yaml =>
        {
            tried++;
            accepted += ParsesSafely(yaml) ? 1 : 0;
        }, iter: Iterations);

        // And every pair exhaustively, once.
        foreach (var key in NumericKeys)
        {
            foreach (var value in HostileValues)
            {
                tried++;
                accepted += ParsesSafely(Inject(key, value)) ? 1 : 0;
            }
        }

        output.WriteLine($"specs with a hostile value tried: {tried}, accepted (and checked runnable): {accepted}");
    }

    /// <summary>The valid spec with <paramref name="key"/>'s value replaced, or the key added under grid (for max_runs and runs_per_task, at the top).</summary>
    private static string Inject(string key, string value)
    {
        var lines = ValidSpec.Split('\n').ToList();
        var at = lines.FindIndex(l => l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal));
        if (at >= 0)
        {
            var indent = lines[at][..(lines[at].Length - lines[at].TrimStart().Length)];
            lines[at] = $"{indent}{key}: {value}";
        }
        else if (key == "points")
        {
            lines = [.. lines.Select(l => l.Replace("points: 4", $"points: {value}", StringComparison.Ordinal))];
        }
        else
        {
            lines.Add($"{key}: {value}");
        }

        return string.Join('\n', lines);
    }

    [Fact]
    public void Grids_past_max_runs_by_arithmetic_overflow_are_refused_at_once()
    {
        // Whole-number axes of up to 100,000 points each: about 1e29 runs, far past a long. Refused by
        // arithmetic, before any enumeration.
        var axes = string.Join('\n',
            "  peak_lr: {log_space: [1e-6, 1], points: 100000}",
            "  warmup_steps: {lin_space: [0, 99999], points: 100000}",
            "  model_size: {lin_space: [1, 100000], points: 100000}",
            "  total_steps: {lin_space: [100000, 199999], points: 100000}",
            "  batch_size: {lin_space: [1, 1024], points: 1024}");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var parse = Parse($"name: huge\nsimulator: quadratic\ngrid:\n{axes}\nseeds: 100000\n");
        Assert.True(parse.Errors.Count == 1, string.Join("; ", parse.Errors.Take(3).Select(e => e.Format())));

        Assert.Contains(parse.Errors, e => e.Message.Contains("exceed max_runs", StringComparison.Ordinal));
        output.WriteLine($"a 1e29-run grid refused in {clock.Elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public void A_generated_axis_of_bad_values_lists_five_and_counts_the_rest()
    {
        var parse = Parse("name: x\nsimulator: quadratic\ngrid:\n  peak_lr: 0.1\n  model_size: 8\n  total_steps: 100\n  warmup_steps: {lin_space: [0.5, 99.5], points: 1000}\n");

        Assert.Equal(6, parse.Errors.Count);
        Assert.Contains(parse.Errors, e => e.Path == "grid.warmup_steps" && e.Message.Contains("and 995 more of its 1,000 values", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1e30", "must be a whole number in [1, 1,000,000,000,000], got 1E+30")]
    [InlineData("-5", "must be a whole number in [1, 1,000,000,000,000], got -5")]
    [InlineData("2.5", "must be a whole number in [1, 1,000,000,000,000], got 2.5")]
    [InlineData(".nan", "must be a finite number")]
    public void An_impossible_max_runs_is_refused_with_its_value(string value, string message)
    {
        var parse = Parse(ValidSpec + $"\nmax_runs: {value}");

        Assert.Contains(parse.Errors, e => e.Path == "max_runs" && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Random_curve_csv_files_get_errors_never_an_exception()
    {
        using var files = new TempFiles();
        var tried = 0;
        var csvish = Gen.String[Gen.Char["0123456789.,-+eE\n\r\t \"stepslossnaninf#\0"], 0, 300];
        var withHeader = csvish.Select(body => "step,lr,loss\n" + body);
        Gen.OneOf(csvish, withHeader, Gen.String[0, 200]).Sample(text =>
        {
            tried++;
            var path = WriteFile(files, $"c{tried % 8}.csv", text);
            CurveReadResult read;
            try
            {
                read = CurveCsv.Read(path);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"the curve reader threw {Head(e)}\n--- input ---\n{text}");
            }

            if (read.Curve is { } curve)
            {
                Assert.True(curve.Count > 0);
                Assert.All(curve.Steps.Zip(curve.Steps.Skip(1)), pair => Assert.True(pair.First < pair.Second, "steps must increase"));
            }
        }, iter: Iterations);
        output.WriteLine($"curve CSV files tried: {tried}");
    }

    [Fact]
    public void A_curve_manifest_with_text_cut_inserted_or_replaced_anywhere_gets_errors_never_an_exception()
    {
        using var files = new TempFiles();
        files.Write("a.csv", "step,lr,loss\n1,0.001,4.0\n2,0.001,3.5\n3,0.001,3.2\n");
        const string manifest = """
            step_convention: updates
            curves:
              - {name: a, file: a.csv, model_size: 25000000, schedule: {kind: cosine, peak_lr: 1.0e-3, total_steps: 3}}
              - name: b
                file: a.csv
                schedule: {kind: wsd, peak_lr: 1.0e-3, decay_start: 2, total_steps: 3}
            """;
        Assert.Empty(CurveManifest.Load(files.Write("valid.yaml", manifest)).Errors);
        var tried = 0;
        Mutated(manifest, maxCut: 30, Yamlish).Sample(text =>
        {
            tried++;
            var path = WriteFile(files, "m.yaml", text);
            try
            {
                CurveManifest.Load(path);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"the manifest reader threw {Head(e)}\n--- input ---\n{text}");
            }
        }, iter: Iterations);
        output.WriteLine($"curve manifests tried: {tried}");
    }
}
