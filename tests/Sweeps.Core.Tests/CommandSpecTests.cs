using Sweeps.Core.ExternalRuns;
using Sweeps.Core.Grid;
using Sweeps.Core.Specs;

namespace Sweeps.Core.Tests;

public class CommandSpecTests
{
    private const string Valid = """
        name: real
        simulator:
          name: command
          command: ["python3", "train.py", "--lr", "{peak_lr}", "--warmup", "{warmup_steps}", "--steps", "{total_steps}",
                    "--schedule-file", "{schedule_csv}", "--dim", "{model_size}", "--batch", "{batch_size}", "--out", "runs/{run_id}", "--json={{}}"]
          working_dir: .
          env: {PYTHONUNBUFFERED: "1"}
          timeout: 2h
          heartbeat_timeout: 90s
          memory_limit: 1.5GiB
          slots: 2
          retries: 1
        grid:
          peak_lr: [0.001, 0.003]
          model_size: [64]
          total_steps: [1000]
          warmup_steps: [100]
          batch_size: [32, 64]
        """;

    private static SweepSpecParse Parse(string yaml) => new SweepSpecParser(new TestCatalog()).Parse(yaml, Path.GetTempPath());

    [Fact]
    public void A_command_spec_is_read_with_its_durations_and_fills_a_runs_placeholders()
    {
        var parse = Parse(Valid);

        Assert.Empty(parse.Errors);
        var spec = parse.Spec!;
        var command = spec.Command!;
        Assert.Equal(CommandSimulator.Name, spec.Simulator);
        Assert.Equal(7200, command.TimeoutSeconds);
        Assert.Equal(90, command.HeartbeatTimeoutSeconds);
        Assert.Equal(3L << 29, command.MemoryLimitBytes);
        Assert.Equal((2, 1), (command.Slots, command.Retries));
        Assert.Equal("1", command.Environment["PYTHONUNBUFFERED"]);
        Assert.Equal(Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.GetTempPath())), command.WorkingDirectory);

        var run = new SweepGrid(spec).RunAt(3);
        var arguments = CommandLine.Expand(command, run, "real-1", "/tmp/s.csv");
        Assert.Equal(["python3", "train.py", "--lr", "0.003", "--warmup", "100", "--steps", "1000", "--schedule-file", "/tmp/s.csv",
            "--dim", "64", "--batch", run.Options["batch_size"].ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", $"runs/{run.RunId}", "--json={}"], arguments);
    }

    [Theory]
    [InlineData("command: [\"python3\", \"train.py\", \"--lr\", \"{peak_lr}\", \"--x\", \"{nope}\"]", "simulator.command", "unknown placeholder {nope}")]
    [InlineData("command: []", "simulator.command", "must name a program")]
    [InlineData("command: python3 train.py", "simulator.command", "must be a list")]
    [InlineData("timeout: soon", "simulator.timeout", "must be a duration")]
    [InlineData("heartbeat_timeout: -5", "simulator.heartbeat_timeout", "must be a duration")]
    [InlineData("memory_limit: lots", "simulator.memory_limit", "must be a size")]
    [InlineData("memory_limit: 512KiB", "simulator.memory_limit", "at least 1 MiB")]
    [InlineData("memory_limit: 1e30", "simulator.memory_limit", "must be a size")]
    [InlineData("slots: 0", "simulator.slots", "[1, 1024]")]
    [InlineData("retries: -1", "simulator.retries", "[0, 100]")]
    [InlineData("working_dir: /no/such/dir", "simulator.working_dir", "no directory")]
    [InlineData("shell: true", "simulator.shell", "unknown key")]
    public void Bad_command_keys_are_reported_with_their_path(string line, string path, string message)
    {
        var key = line[..line.IndexOf(':')];
        var yaml = string.Join('\n', Valid.Split('\n').Where(l => !l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal) && !(key == "command" && l.TrimStart().StartsWith("\"--schedule-file", StringComparison.Ordinal))))
            .Replace("  name: command", "  name: command\n  " + line);

        var errors = Parse(yaml).Errors;

        Assert.Contains(errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("1048576", 1L << 20)]
    [InlineData("4GiB", 4L << 30)]
    [InlineData("2 GB", 2_000_000_000L)]
    [InlineData("512mib", 512L << 20)]
    [InlineData("0", null)]
    [InlineData("-1GiB", null)]
    [InlineData("9999999TiB", null)]
    public void Sizes_are_bytes_or_a_number_with_a_decimal_or_binary_unit(string text, long? bytes) =>
        Assert.Equal(bytes, ByteSizes.ParseBytes(text));

    [Fact]
    public void A_command_simulator_without_a_command_or_with_runs_per_task_is_refused()
    {
        Assert.Contains(Parse("name: x\nsimulator: {name: command, slots: 2}\ngrid: {peak_lr: 0.1, model_size: 1, total_steps: 10}").Errors,
            e => e.Path == "simulator.command" && e.Message.Contains("is required"));
        Assert.Contains(Parse("name: x\nsimulator: command\ngrid: {peak_lr: 0.1, model_size: 1, total_steps: 10}").Errors, e => e.Path == "simulator");
        Assert.Contains(Parse(Valid + "\nruns_per_task: 4").Errors, e => e.Path == "runs_per_task");
    }

    [Theory]
    [InlineData("90", 90.0)]
    [InlineData("90s", 90.0)]
    [InlineData("1.5m", 90.0)]
    [InlineData("2h", 7200.0)]
    [InlineData("1d", 86400.0)]
    [InlineData("250ms", 0.25)]
    [InlineData("0", null)]
    [InlineData("-1s", null)]
    [InlineData("5 minutes", null)]
    public void Durations_are_seconds_or_a_number_with_a_unit(string text, double? seconds) =>
        Assert.Equal(seconds, Durations.ParseSeconds(text));
}
