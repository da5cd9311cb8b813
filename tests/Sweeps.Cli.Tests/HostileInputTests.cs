using System.Text;
using Sweeps.Tests;

namespace Sweeps.Cli.Tests;

/// <summary>
/// Input a user gives by mistake or an attacker on purpose: every case ends in one clear line and
/// exit 2, never a stack trace, a crash, a hang or unbounded reading, and never echoes a file's contents.
/// </summary>
[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public class HostileInputTests : IDisposable
{
    private const string Spec = """
        name: hostile
        simulator: {name: quadratic}
        grid:
          peak_lr: [0.1]
          model_size: [8]
          total_steps: [TOTAL]
        """;

    private readonly ScratchDirectory _scratch = new();

    public void Dispose()
    {
        _scratch.Dispose();
        GC.SuppressFinalize(this);
    }

    public static TheoryData<string, string, string> Specs => new()
    {
        // name, file contents, what stderr must say
        { "deep-flow", "name: x\ngrid: " + new string('[', 100_000), "nests more than 64 levels" },
        { "deep-block", "name: x\ngrid:\n" + string.Concat(Enumerable.Range(1, 200).Select(i => new string(' ', i) + "- \n")), "nests more than 64 levels" },
        { "alias-bomb", AliasBomb(), "alias bomb" },
        { "binary", "name: x\n\0\u0001\u0002garbage", "is binary" },
        { "empty", "", "must be a YAML mapping" },
        { "steps-2e9", Spec.Replace("TOTAL", "2000000000"), "must be a whole number in [1, 50,000,000]" },
        { "steps-1e300", Spec.Replace("TOTAL", "1e300"), "must be a whole number in [1, 50,000,000]" },
        { "name-dotdot", Spec.Replace("TOTAL", "100").Replace("name: hostile", "name: .."), "may hold only letters" },
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public async Task A_hostile_spec_is_refused_in_one_line(string name, string contents, string expected)
    {
        _scratch.Write(name + ".yaml", contents);

        var stderr = await CliAssert.ExitsWithBadInputAsync(_scratch.Path, expected, "validate", name + ".yaml");

        Assert.DoesNotContain("   at ", stderr);
        Assert.True(stderr.Trim().Split('\n').Length <= 3, stderr);
    }

    [Fact]
    public async Task A_file_larger_than_any_spec_is_refused_without_reading_it_all()
    {
        var path = Path.Combine(_scratch.Path, "big.yaml");
        await File.WriteAllBytesAsync(path, Enumerable.Repeat((byte)'#', 5 << 20).ToArray());

        await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "larger than 4 MiB", "validate", "big.yaml");
    }

    [Fact]
    public async Task Paths_that_cannot_be_used_are_named_in_one_line_not_a_stack_trace()
    {
        _scratch.Write("s.yaml", Spec.Replace("TOTAL", "100"));
        _scratch.Write("a-file", "not a directory");
        Directory.CreateDirectory(Path.Combine(_scratch.Path, "a-dir"));

        var run = await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "is a file; a data directory must be a directory", "run", "s.yaml", "--data-dir", "a-file");
        var init = await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "is a directory; give the path of the spec", "init", "a-dir");
        var cluster = await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "--cluster: expected HOST:PORT", "status", "--cluster", "not a host:::");
        var port = await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "--cluster: expected HOST:PORT", "status", "--cluster", "localhost:99999");

        var predict = await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "--total-steps: must be in [2, 50,000,000]", "predict", "some-sweep", "--model-size", "1e9", "--total-steps", "2000000000", "--data-dir", "a-dir");
        var optimize = await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "--total-steps: must be in [1, 50,000,000]", "law", "optimize-schedule", "--law", "opt-laws", "--model-size", "1e9", "--total-steps", "2000000000", "--peak-lr", "1e-3", "--warmup-steps", "100");

        // An export to where nothing can be written (a process's /proc directory) is one line, exit 2.
        var (ran, _, ranErrors) = await SweepsProcess.RunAsync(_scratch.Path, "run", "s.yaml", "--data-dir", "data");
        Assert.True(ran == 0, ranErrors);
        var (_, listing, _) = await SweepsProcess.RunAsync(_scratch.Path, "status", "--data-dir", "data", "--json");
        var id = System.Text.Json.JsonDocument.Parse(listing).RootElement[0].GetProperty("id").GetString()!;
        var export = await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "/proc/self", "export", id, "--data-dir", "data", "--format", "csv", "--out", "/proc/self");

        Assert.All(new[] { run, init, cluster, port, predict, optimize, export }, stderr => Assert.DoesNotContain("   at ", stderr));
    }

    [Fact]
    public async Task A_curve_of_a_million_rows_is_fitted_on_two_thousand_evenly_spaced_points_and_says_so()
    {
        // A smooth power-law loss, 1,000,000 rows: read in full, thinned for the fit, which then takes seconds.
        var csv = new System.Text.StringBuilder("step,lr,loss\n");
        for (var step = 1; step <= 1_000_000; step++)
        {
            csv.Append(step).Append(",0.001,").Append((2.0 + 3.0 * Math.Pow(step, -0.3)).ToString("R", System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        _scratch.Write("long.csv", csv.ToString());
        _scratch.Write("long.yaml", """
            model_size: 1e6
            curves:
              - {name: long, file: long.csv, schedule: {kind: constant, peak_lr: 1e-3, total_steps: 1000000}}
            """);

        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(_scratch.Path, "law", "fit", "power", "--curves", "long.yaml");

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("1,000,000 points; its laws are fitted and scored on 2,000 evenly spaced ones", stderr);
        Assert.Contains("R²", stdout);
    }

    [Fact]
    public async Task A_manifest_naming_a_secret_file_by_mistake_never_prints_its_contents()
    {
        _scratch.Write("secret", "root:s3cr3t-hash:19000:0:99999\n" + string.Concat(Enumerable.Range(0, 50).Select(i => $"user{i}:token-{i}-XYZ:1:2\n")));
        _scratch.Write("m.yaml", """
            model_size: 1e6
            curves:
              - name: a
                file: secret
                schedule: {kind: constant, peak_lr: 1e-3, total_steps: 100}
            """);

        var fit = await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "does not look like column names", "law", "fit", "power", "--curves", "m.yaml");
        var ingest = await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "is this a loss-curve CSV?", "ingest", "m.yaml", "--data-dir", _scratch.Path);

        foreach (var stderr in new[] { fit, ingest })
        {
            Assert.DoesNotContain("s3cr3t", stderr);
            Assert.DoesNotContain("token-", stderr);
            Assert.True(stderr.Trim().Split('\n').Length <= 13, stderr); // ten bad rows at most, then it stops
        }
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../../../evil")]
    [InlineData("a/b")]
    public async Task An_ingested_sweep_name_that_leaves_the_data_directory_is_refused(string name)
    {
        _scratch.Write("a.csv", "step,lr,loss\n1,0.001,2\n2,0.001,1.9\n");
        _scratch.Write("m.yaml", """
            model_size: 1e6
            curves:
              - name: a
                file: a.csv
                schedule: {kind: constant, peak_lr: 1e-3, total_steps: 100}
            """);
        var data = Path.Combine(_scratch.Path, "data");

        await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "may hold only letters", "ingest", "m.yaml", "--sweep", name);

        Assert.False(Directory.Exists(data));
        Assert.Equal(["a.csv", "m.yaml"], Directory.GetFileSystemEntries(_scratch.Path).Select(Path.GetFileName).Order());
    }

    private static string AliasBomb()
    {
        var text = new StringBuilder("name: x\na: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n");
        var previous = "a";
        foreach (var anchor in "bcdefghi")
        {
            text.Append($"{anchor}: &{anchor} [{string.Join(", ", Enumerable.Repeat("*" + previous, 10))}]\n");
            previous = anchor.ToString();
        }

        return text.ToString();
    }
}
