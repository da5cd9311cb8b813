using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sweeps.Tests;

namespace Sweeps.Cli.Tests;

/// <summary>
/// README's tour, run as written: every <c>sweeps</c> command of its "A short tour of the console"
/// section, in order, from a <c>tour/</c> directory beside a copy of <c>examples/</c>, as a newcomer
/// takes it. A command that names a file the repository lacks, or fails, fails the test; so does a
/// line the test does not know how to run (README may not grow a command nobody runs).
/// </summary>
[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public sealed partial class ReadmeTourTests
{
    private const string Section = "## A short tour of the console";

    [Fact]
    public async Task Every_command_of_the_tour_runs_from_a_fresh_directory_against_files_the_repository_has()
    {
        var commands = TourCommands(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")));
        Assert.True(commands.Count >= 20, $"the tour should hold its twenty-odd commands, found {commands.Count}");

        using var scratch = new ScratchDirectory();
        CopyDirectory(RepositoryPaths.Examples, Path.Combine(scratch.Path, "examples"));
        var tour = Directory.CreateDirectory(Path.Combine(scratch.Path, "tour")).FullName;
        var outputs = new Dictionary<string, string>();
        foreach (var command in commands)
        {
            var args = command.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
            var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(tour, args);
            Assert.True(exitCode == 0, $"`{command}` exited {exitCode}: {stderr}");
            outputs[command] = stdout;
        }

        // What the tour says its commands leave behind.
        foreach (var file in new[] { "my-sweep.yaml", "fit.json", "convex-fit.json", "mpl.png", "multi.json",
                     "mpl-schedule.csv", "convex-schedule.csv", "opt-laws-schedule.csv", "1b-schedule.csv",
                     "scales/curves.yaml", "scale-1b/curves.yaml", "results/my-sweep/runs.csv" })
        {
            Assert.True(File.Exists(Path.Combine(tour, file)), $"the tour should have written tour/{file}");
        }

        // Real outcomes, not just exit codes: the 25M fit predicts the six held-out real curves about
        // as well as the published fit (mean PredE 0.0011), and the multi-scale law fitted to three
        // sizes of the twin predicts a size 4× beyond them within a few per cent (4.3 % here, where
        // BIC picks every parameter a power law and the three peaks lie above the 1.6B optimum; the
        // predictor's own fit keeps the peaks nearest each optimum, docs/architecture.md).
        var eval25m = Json(outputs, "sweeps law eval --fit fit.json");
        Assert.InRange(eval25m.GetProperty("summary").GetProperty("all").GetProperty("pred_e").GetDouble(), 0, 0.003);
        var evalHeldOutSize = Json(outputs, "sweeps law eval --fit multi.json");
        Assert.InRange(evalHeldOutSize.GetProperty("summary").GetProperty("all").GetProperty("pred_e").GetDouble(), 0, 0.06);
        var chinchilla = Json(outputs, "sweeps law fit chinchilla");
        Assert.InRange(chinchilla.GetProperty("params").GetProperty("E").GetDouble(), 1.6, 1.8); // the law the points were drawn from has E = 1.69
    }

    [Fact]
    public async Task The_console_installs_as_a_dotnet_tool_and_runs_from_its_shim()
    {
        using var scratch = new ScratchDirectory();
        var packages = Path.Combine(scratch.Path, "packages");
        var tools = Path.Combine(scratch.Path, "tools");
        await DotnetAsync(RepositoryPaths.Root, "pack", "src/Sweeps.Cli", "-c", "Release", "--no-build", "-o", packages);
        Assert.Single(Directory.GetFiles(packages, "Sweeps.Cli.*.nupkg"));
        await DotnetAsync(scratch.Path, "tool", "install", "--tool-path", tools, "--add-source", packages, "Sweeps.Cli");

        var shim = new ProcessStartInfo(Path.Combine(tools, "sweeps"), ["validate", Path.Combine(RepositoryPaths.Examples, "quickstart.yaml")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(shim)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, stderr);
        Assert.Contains("432 runs", stdout);
    }

    /// <summary>The tour's commands, comments removed; set-up lines (<c>dotnet …</c>, <c>mkdir</c>, <c>cd</c>) skipped.</summary>
    internal static List<string> TourCommands(string readme)
    {
        var start = readme.IndexOf(Section, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README has no '{Section}' section");
        var end = readme.IndexOf("\n## ", start + Section.Length, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        var commands = new List<string>();
        foreach (Match block in FencedShellBlock().Matches(section))
        {
            foreach (var raw in block.Groups[1].Value.Split('\n'))
            {
                var line = TrailingComment().Replace(raw, "").Trim();
                if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("dotnet ", StringComparison.Ordinal) || line == "mkdir -p tour && cd tour")
                {
                    continue;
                }

                Assert.True(line.StartsWith("sweeps ", StringComparison.Ordinal), $"the tour has a line this test cannot run: {line}");
                Assert.DoesNotContain("…", line);
                Assert.DoesNotMatch("[\"'|<>$]", line); // split on spaces, as written: no quoting, pipes or variables
                commands.Add(line);
            }
        }

        return commands;
    }

    private static JsonElement Json(Dictionary<string, string> outputs, string commandPrefix) =>
        JsonDocument.Parse(outputs.Single(o => o.Key.StartsWith(commandPrefix, StringComparison.Ordinal) && o.Key.Contains("--json")).Value).RootElement;

    private static async Task DotnetAsync(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", args) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', args)}: {await stdout}{await stderr}");
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex FencedShellBlock();

    /// <summary>A comment after a command: two or more spaces, then #.</summary>
    [GeneratedRegex(@"\s{2,}#.*$")]
    private static partial Regex TrailingComment();
}
