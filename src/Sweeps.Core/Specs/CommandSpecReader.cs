using Sweeps.Core.ExternalRuns;
using Sweeps.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sweeps.Core.Specs;

/// <summary>
/// Reads the <c>command</c> simulator's keys: <c>command</c> (a list of arguments, required),
/// <c>working_dir</c>, <c>env</c>, <c>timeout</c>, <c>heartbeat_timeout</c>, <c>memory_limit</c>, <c>slots</c>, <c>retries</c>.
/// </summary>
internal static class CommandSpecReader
{
    public static readonly IReadOnlyList<string> Keys = ["command", "working_dir", "env", "timeout", "heartbeat_timeout", "memory_limit", "slots", "retries"];

    public static CommandSpec? Read(YamlMap map, string? baseDirectory)
    {
        var arguments = ReadArguments(map);
        var workingDirectory = map.Text("working_dir") is { } dir ? Path.GetFullPath(dir, baseDirectory ?? Directory.GetCurrentDirectory()) : null;
        if (workingDirectory is not null && !Directory.Exists(workingDirectory))
        {
            map.Error("working_dir", $"no directory '{workingDirectory}'");
        }

        var environment = new Dictionary<string, string>();
        if (map.Map("env") is { } env)
        {
            foreach (var key in env.Keys.ToList())
            {
                if (env.Text(key) is { } value)
                {
                    environment[key] = value;
                }
            }
        }

        var timeout = Seconds(map, "timeout");
        var heartbeat = Seconds(map, "heartbeat_timeout") ?? CommandSpec.DefaultHeartbeatSeconds;
        var memoryLimit = Bytes(map, "memory_limit");
        var slots = map.WholeNumber("slots") ?? 1;
        if (slots is < 1 or > 1024)
        {
            map.Error("slots", $"must be in [1, 1024], got {slots}");
        }

        var retries = map.WholeNumber("retries") ?? 0;
        if (retries is < 0 or > 100)
        {
            map.Error("retries", $"must be in [0, 100], got {retries}");
        }

        return arguments is null ? null : new CommandSpec
        {
            Arguments = arguments,
            WorkingDirectory = workingDirectory,
            Environment = environment,
            TimeoutSeconds = timeout,
            HeartbeatTimeoutSeconds = heartbeat,
            MemoryLimitBytes = memoryLimit,
            Slots = slots,
            Retries = retries,
        };
    }

    /// <summary>Every <c>{name}</c> of the command must be a run placeholder or an option of the spec.</summary>
    public static void CheckPlaceholders(CommandSpec command, IEnumerable<string> optionNames, YamlMap map)
    {
        var known = CommandLine.RunPlaceholders.Concat(optionNames).ToHashSet(StringComparer.Ordinal);
        foreach (var name in command.Arguments.SelectMany(CommandLine.PlaceholdersIn).Distinct().Where(n => !known.Contains(n)))
        {
            map.Error("command", $"unknown placeholder {{{name}}} (known: {string.Join(", ", known.Order(StringComparer.Ordinal))}; {{{{ and }}}} for braces)");
        }
    }

    private static List<string>? ReadArguments(YamlMap map)
    {
        if (!map.Has("command"))
        {
            map.Error("command", "is required: the program and its arguments as a list, e.g. [\"python\", \"train.py\", \"--lr\", \"{peak_lr}\"]");
            map.Node("command");
            return null;
        }

        if (map.Sequence("command") is not { } sequence)
        {
            return null;
        }

        var arguments = new List<string>();
        foreach (var (item, i) in sequence.Children.Select((n, i) => (n, i)))
        {
            if (YamlValues.Text(item, $"{map.PathOf("command")}[{i}]", map.Errors) is { } text)
            {
                arguments.Add(text);
            }
        }

        if (arguments.Count == 0 || string.IsNullOrWhiteSpace(arguments[0]))
        {
            map.Error("command", "must name a program as its first element");
            return null;
        }

        return arguments.Count == sequence.Children.Count ? arguments : null;
    }

    /// <summary>A size of at least 1 MiB: below that no process starts.</summary>
    private static long? Bytes(YamlMap map, string key)
    {
        if (map.Text(key) is not { } text)
        {
            return null;
        }

        if (ByteSizes.ParseBytes(text) is { } bytes and >= 1L << 20)
        {
            return bytes;
        }

        map.Error(key, $"must be a size of at least 1 MiB: bytes, or a number with KiB, MiB, GiB (or KB, MB, GB), e.g. 4GiB, got '{text}'");
        return null;
    }

    private static double? Seconds(YamlMap map, string key)
    {
        if (map.Text(key) is not { } text)
        {
            return null;
        }

        if (Durations.ParseSeconds(text) is { } seconds)
        {
            return seconds;
        }

        map.Error(key, $"must be a duration > 0: seconds, or a number with s, m, h or d (e.g. 90s, 15m, 2h), got '{text}'");
        return null;
    }
}
