using Sweeps.Core.ExternalRuns;
using Sweeps.Core.Grid;
using Sweeps.Core.Schedules;
using Sweeps.Core.Simulators;
using Sweeps.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sweeps.Core.Specs;

/// <summary>
/// Parses and validates a sweep spec (YAML). Every problem is collected with its YAML path and
/// line, so a user fixes a spec in one pass; no spec with an error comes out, and a grid larger
/// than <c>max_runs</c> is refused before any run exists.
/// </summary>
public sealed class SweepSpecParser(ISimulatorCatalog simulators)
{
    private static readonly string[] StandardAxes = ["peak_lr", "warmup_steps", "model_size", "total_steps", "schedule"];
    private static readonly string[] GridOwnedScheduleKeys = ["peak_lr", "warmup_steps", "total_steps"];

    /// <summary>Built-in templates a grid may name without defining them under <c>schedules:</c>.</summary>
    public static readonly IReadOnlyDictionary<string, ScheduleSpec> BuiltInSchedules = new Dictionary<string, ScheduleSpec>
    {
        ["constant"] = new() { Kind = ScheduleKind.Constant },
        ["cosine"] = new() { Kind = ScheduleKind.Cosine, FinalLrRatio = 0.1 },
        ["linear"] = new() { Kind = ScheduleKind.Linear, FinalLrRatio = 0.0 },
        ["wsd"] = new() { Kind = ScheduleKind.Wsd, DecayFraction = 0.2, DecayShape = DecayShape.Linear, FinalLrRatio = 0.0 },
        ["polynomial"] = new() { Kind = ScheduleKind.Polynomial, Power = 2.0 },
    };

    /// <summary>The catalog's simulators and <c>command</c>, which any silo can run.</summary>
    private IEnumerable<SimulatorInfo> AllSimulators => simulators.Simulators.Append(CommandSimulator.Info);

    /// <param name="text">The YAML.</param>
    /// <param name="baseDirectory">Where relative files (table schedules, a stopping rule's fit) are looked up.</param>
    /// <param name="maxRunsOverride">A limit on the grid size that overrides the spec's <c>max_runs</c>.</param>
    public SweepSpecParse Parse(string text, string? baseDirectory = null, long? maxRunsOverride = null)
    {
        var errors = new List<SpecError>();
        if (YamlValues.Root(text, errors) is not { } root)
        {
            return new SweepSpecParse(null, errors);
        }

        var top = new YamlMap(root, "", errors);
        var name = ReadName(top);
        top.Text("description");
        var (simulator, options, command, simulatorMap) = ReadSimulator(top, baseDirectory);
        var templates = ReadTemplates(top, baseDirectory);
        var grid = ReadGrid(top, simulator, templates);
        var seeds = ReadSeeds(top);
        var laws = ReadLaws(top);
        var concurrency = ReadPositiveInt(top, "concurrency", SweepSpec.DefaultConcurrency, 100_000);
        var curvePoints = ReadPositiveInt(top, "curve_points", SweepSpec.DefaultCurvePoints, 100_000, min: 2);
        int? runsPerTask = top.Has("runs_per_task") ? ReadPositiveInt(top, "runs_per_task", 1, 4096) : null;
        int? bootstrap = top.Has("bootstrap") ? ReadPositiveInt(top, "bootstrap", 0, 10_000, min: 0) : null;
        var maxRuns = maxRunsOverride ?? ReadMaxRuns(top);
        var adaptive = AdaptiveSpecReader.Read(top, baseDirectory);
        var reuse = ReadReuse(top);
        top.RejectUnknownKeys();
        if (adaptive?.Stop is not null && runsPerTask is not null)
        {
            top.Error("adaptive", "stops runs one by one as they go; runs_per_task runs them in batches too short to judge (drop one of them)");
        }
        else if (adaptive?.Refine is not null && runsPerTask is not null)
        {
            top.Error("adaptive", "refine adds runs one by one to the grid; runs_per_task batches the grid's runs (drop one of them)");
        }

        if (command is not null && runsPerTask is not null)
        {
            top.Error("runs_per_task", "is for short simulated runs; a command run is a process of its own (drop runs_per_task)");
        }

        if (command is not null && grid is not null && simulatorMap is not null)
        {
            CommandSpecReader.CheckPlaceholders(command, options.Keys.Concat(grid.OptionAxes.Select(a => a.Name)), simulatorMap);
        }

        if (errors.Count > 0 || grid is null || simulator is null || name is null)
        {
            return new SweepSpecParse(null, Sorted(errors));
        }

        var spec = new SweepSpec
        {
            Name = name,
            Description = top.Text("description") ?? "",
            Simulator = simulator.Name,
            Options = options,
            PeakLr = grid.PeakLr,
            WarmupSteps = grid.WarmupSteps,
            ModelSize = grid.ModelSize,
            TotalSteps = grid.TotalSteps,
            Schedules = grid.Schedules,
            OptionAxes = grid.OptionAxes,
            Seeds = seeds,
            Laws = laws,
            Concurrency = concurrency,
            CurvePoints = curvePoints,
            RunsPerTask = runsPerTask,
            Bootstrap = bootstrap,
            Command = command,
            Adaptive = adaptive,
            Reuse = reuse,
            MaxRuns = maxRuns,
        };

        var count = new SweepGrid(spec).Count;
        if (count > maxRuns)
        {
            // Said by arithmetic, and nothing of the grid is enumerated: it may be past any count.
            errors.Add(new SpecError("grid", $"{count:N0} runs exceed max_runs {maxRuns:N0}; shrink the grid or raise max_runs", top.LineOf("grid")));
            return new SweepSpecParse(null, Sorted(errors));
        }

        CheckEveryScheduleOfTheGrid(spec, grid.Lines, errors);
        return errors.Count > 0 ? new SweepSpecParse(null, Sorted(errors)) : new SweepSpecParse(spec, []);
    }

    private static List<SpecError> Sorted(List<SpecError> errors) =>
        errors.Distinct().OrderBy(e => e.Line ?? int.MaxValue).ThenBy(e => e.Path, StringComparer.Ordinal).ToList();

    /// <summary>Most runs a spec may allow itself (<c>max_runs</c>): a bound, not a goal; past it a grid is a typo.</summary>
    public const long MaximumMaxRuns = 1_000_000_000_000;

    private static long ReadMaxRuns(YamlMap top)
    {
        if (top.Number("max_runs") is not { } value)
        {
            return SweepSpec.DefaultMaxRuns;
        }

        if (value is >= 1 and <= MaximumMaxRuns && value == Math.Round(value))
        {
            return (long)value;
        }

        top.Error("max_runs", $"must be a whole number in [1, {MaximumMaxRuns:N0}], got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        return SweepSpec.DefaultMaxRuns;
    }

    /// <summary><c>reuse: false</c> runs every run here, even one another sweep of the store finished (null: the default, reuse).</summary>
    private static bool? ReadReuse(YamlMap top)
    {
        switch (top.Text("reuse"))
        {
            case null:
                return null;
            case "true":
                return null;
            case "false":
                return false;
            case var other:
                top.Error("reuse", $"must be true or false, got '{other}'");
                return null;
        }
    }

    private static string? ReadName(YamlMap top)
    {
        var name = top.Text("name");
        if (name is null)
        {
            top.Error("name", "is required (letters, digits, '-', '_', '.')");
            return null;
        }

        if (!SweepNames.IsValid(name))
        {
            top.Error("name", $"'{name}' {SweepNames.Rule}");
            return null;
        }

        return name;
    }

    private (SimulatorInfo?, Dictionary<string, double>, CommandSpec?, YamlMap?) ReadSimulator(YamlMap top, string? baseDirectory)
    {
        var options = new Dictionary<string, double>();
        string? simulatorName;
        YamlMap? optionsMap = null;
        CommandSpec? command = null;
        var node = top.Node("simulator");
        var simulatorMap = node is YamlMappingNode ? top.Map("simulator") : null;
        if (node is YamlScalarNode)
        {
            simulatorName = top.Text("simulator");
            if (simulatorName == CommandSimulator.Name)
            {
                top.Error("simulator", "command needs its keys: simulator: {name: command, command: [program, arguments…]}");
                return (null, options, null, null);
            }
        }
        else if (simulatorMap is { } map)
        {
            simulatorName = map.Text("name");
            if (simulatorName is null)
            {
                map.Error("name", "is required");
            }
            else if (simulatorName == CommandSimulator.Name)
            {
                command = CommandSpecReader.Read(map, baseDirectory);
            }

            optionsMap = map.Map("options");
            map.RejectUnknownKeys();
        }
        else
        {
            if (node is null)
            {
                top.Error("simulator", $"is required (one of {string.Join(", ", AllSimulators.Select(s => s.Name))})");
            }

            return (null, options, null, null);
        }

        if (simulatorName is null)
        {
            return (null, options, null, null);
        }

        var simulator = simulatorName == CommandSimulator.Name ? CommandSimulator.Info : simulators.Find(simulatorName);
        if (simulator is null)
        {
            var path = node is YamlScalarNode ? "simulator" : "simulator.name";
            top.Errors.Add(new SpecError(path,
                $"unknown simulator '{simulatorName}' (one of {string.Join(", ", AllSimulators.Select(s => s.Name))})",
                top.LineOf("simulator")));
            return (null, options, null, null);
        }

        foreach (var option in simulator.Options)
        {
            options[option.Name] = option.Default;
        }

        if (optionsMap is not null)
        {
            foreach (var key in optionsMap.Keys.ToList())
            {
                if (simulator.Option(key) is not { } option)
                {
                    optionsMap.Error(key, $"unknown option of simulator {simulator.Name} (one of {string.Join(", ", simulator.Options.Select(o => o.Name))})");
                    optionsMap.Node(key); // reported here, not again as an unknown key
                    continue;
                }

                if (optionsMap.Number(key) is { } value)
                {
                    if (option.Check(value) is { } problem)
                    {
                        optionsMap.Error(key, problem);
                    }

                    options[key] = value;
                }
            }

            optionsMap.RejectUnknownKeys();
        }

        return (simulator, options, command, simulatorMap);
    }

    private static Dictionary<string, (ScheduleSpec Template, YamlMap Map)> ReadTemplates(YamlMap top, string? baseDirectory)
    {
        var templates = new Dictionary<string, (ScheduleSpec, YamlMap)>();
        if (top.Map("schedules") is not { } map)
        {
            return templates;
        }

        foreach (var name in map.Keys.ToList())
        {
            if (map.Map(name) is not { } templateMap)
            {
                continue;
            }

            foreach (var key in GridOwnedScheduleKeys.Where(templateMap.Has))
            {
                templateMap.Error(key, $"comes from grid.{key}; leave it out of the template");
            }

            if (ScheduleYaml.Read(templateMap, baseDirectory) is { } template)
            {
                templates[name] = (template, templateMap);
            }
        }

        map.RejectUnknownKeys();
        return templates;
    }

    private sealed record GridAxes(
        IReadOnlyList<double> PeakLr,
        IReadOnlyList<int> WarmupSteps,
        IReadOnlyList<double> ModelSize,
        IReadOnlyList<int> TotalSteps,
        IReadOnlyList<NamedSchedule> Schedules,
        IReadOnlyList<OptionAxis> OptionAxes,
        IReadOnlyDictionary<string, (string Path, int? Line)> Lines);

    private static GridAxes? ReadGrid(YamlMap top, SimulatorInfo? simulator, Dictionary<string, (ScheduleSpec Template, YamlMap Map)> templates)
    {
        if (top.Map("grid") is not { } grid)
        {
            if (!top.Has("grid"))
            {
                top.Error("grid", "is required: axes peak_lr, total_steps, model_size (and warmup_steps, schedule, simulator options)");
            }

            return null;
        }

        var lines = new Dictionary<string, (string, int?)>();
        var peakLr = RequiredAxis(grid, "peak_lr", v => v > 0 ? null : $"must be > 0, got {v}");
        var totalSteps = RequiredAxis(grid, "total_steps", v => v >= 1 && v == Math.Round(v) && v <= ScheduleValidator.MaximumTotalSteps ? null
            : $"must be a whole number in [1, {ScheduleValidator.MaximumTotalSteps:N0}], got {v} (a run holds its schedule as one 8-byte LR a step)");
        var modelSize = RequiredAxis(grid, "model_size", v => simulator?.CheckModelSize(v) ?? (v > 0 ? null : $"must be > 0, got {v}"));
        var warmup = grid.Has("warmup_steps")
            ? RequiredAxis(grid, "warmup_steps", v => v >= 0 && v == Math.Round(v) && v <= ScheduleValidator.MaximumTotalSteps ? null : $"must be a whole number in [0, {ScheduleValidator.MaximumTotalSteps:N0}], got {v}")
            : [0.0];
        var schedules = ReadScheduleAxis(grid, templates);
        foreach (var axis in StandardAxes)
        {
            lines[axis] = (grid.PathOf(axis), grid.LineOf(axis));
        }

        var optionAxes = new List<OptionAxis>();
        foreach (var key in grid.Keys.Where(k => !StandardAxes.Contains(k)).ToList())
        {
            if (simulator?.Option(key) is not { } option)
            {
                if (simulator is not null)
                {
                    grid.Error(key, $"is neither a standard axis ({string.Join(", ", StandardAxes)}) nor an option of simulator {simulator.Name} ({string.Join(", ", simulator.Options.Select(o => o.Name))})");
                }

                grid.Node(key); // reported here, not again as unknown
                continue;
            }

            optionAxes.Add(new OptionAxis(key, RequiredAxis(grid, key, option.Check)));
        }

        grid.RejectUnknownKeys();
        return new GridAxes(peakLr, warmup.Select(v => (int)v).ToArray(), modelSize, totalSteps.Select(v => (int)v).ToArray(),
            schedules, optionAxes, lines);
    }

    /// <summary>Values of one axis whose errors are listed one by one; the rest are counted.</summary>
    private const int ValueErrorsShownPerAxis = 5;

    private static double[] RequiredAxis(YamlMap grid, string key, Func<double, string?> check)
    {
        if (grid.Node(key) is not { } node)
        {
            grid.Error(key, "is required");
            return [];
        }

        var values = AxisValues.Read(node, grid.PathOf(key), grid.Errors);
        var bad = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (check(values[i]) is { } problem && ++bad <= ValueErrorsShownPerAxis)
            {
                grid.Errors.Add(new SpecError($"{grid.PathOf(key)}[{i}]", problem, (int)node.Start.Line));
            }
        }

        if (bad > ValueErrorsShownPerAxis)
        {
            // A generated axis (lin_space of 100,000 points) would otherwise bury the spec's other errors.
            grid.Error(key, $"and {bad - ValueErrorsShownPerAxis:N0} more of its {values.Length:N0} values fail the same way");
        }

        if (values.Distinct().Count() != values.Length)
        {
            grid.Error(key, "lists a value twice");
        }

        return values;
    }

    private static List<NamedSchedule> ReadScheduleAxis(YamlMap grid, Dictionary<string, (ScheduleSpec Template, YamlMap Map)> templates)
    {
        if (grid.Node("schedule") is not { } node)
        {
            return templates.Count > 0
                ? templates.Select(t => new NamedSchedule(t.Key, t.Value.Template)).ToList()
                : [new NamedSchedule("cosine", BuiltInSchedules["cosine"])];
        }

        var names = node switch
        {
            YamlScalarNode scalar => [scalar.Value ?? ""],
            YamlSequenceNode sequence => sequence.Children.Select(c => (c as YamlScalarNode)?.Value ?? "").ToList(),
            _ => [],
        };
        if (names.Count == 0)
        {
            grid.Error("schedule", "must be a template name or a list of them");
        }

        var result = new List<NamedSchedule>();
        for (var i = 0; i < names.Count; i++)
        {
            if (templates.TryGetValue(names[i], out var template))
            {
                result.Add(new NamedSchedule(names[i], template.Template));
            }
            else if (BuiltInSchedules.TryGetValue(names[i], out var builtIn))
            {
                result.Add(new NamedSchedule(names[i], builtIn));
            }
            else
            {
                grid.Errors.Add(new SpecError($"{grid.PathOf("schedule")}[{i}]",
                    $"unknown schedule '{names[i]}' (define it under schedules:, or use one of {string.Join(", ", BuiltInSchedules.Keys.Concat(templates.Keys).Distinct())})",
                    (int)node.Start.Line));
            }
        }

        if (result.Select(r => r.Name).Distinct().Count() != result.Count)
        {
            grid.Error("schedule", "lists a schedule twice");
        }

        return result;
    }

    private static List<int> ReadSeeds(YamlMap top)
    {
        switch (top.Node("seeds"))
        {
            case null:
                return [0];
            case YamlScalarNode:
                var count = top.WholeNumber("seeds");
                if (count is < 1 or > 100_000)
                {
                    top.Error("seeds", $"a count of seeds must be in [1, 100000], got {count}");
                }

                return Enumerable.Range(0, Math.Clamp(count ?? 1, 1, 100_000)).ToList();
            case YamlSequenceNode sequence:
                var seeds = sequence.Children.Select((n, i) => YamlValues.WholeNumber(n, $"seeds[{i}]", top.Errors) ?? 0).ToList();
                if (seeds.Count == 0 || seeds.Distinct().Count() != seeds.Count)
                {
                    top.Error("seeds", "must list at least one seed, each once");
                }

                return seeds;
            default:
                top.Error("seeds", "must be a count or a list of seeds");
                return [0];
        }
    }

    private static List<string> ReadLaws(YamlMap top)
    {
        if (top.Sequence("laws") is not { } sequence)
        {
            return [.. KnownLaws.Default];
        }

        var laws = new List<string>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var law = YamlValues.Text(sequence.Children[i], $"laws[{i}]", top.Errors);
            if (law is null)
            {
                continue;
            }

            if (!KnownLaws.All.Contains(law))
            {
                top.Errors.Add(new SpecError($"laws[{i}]", $"unknown law '{law}' (one of {string.Join(", ", KnownLaws.All)})", (int)sequence.Children[i].Start.Line));
                continue;
            }

            laws.Add(law);
        }

        return laws;
    }

    private static int ReadPositiveInt(YamlMap top, string key, int defaultValue, int max, int min = 1)
    {
        var value = top.WholeNumber(key);
        if (value is { } v && (v < min || v > max))
        {
            top.Error(key, $"must be in [{min}, {max}], got {v}");
        }

        return value ?? defaultValue;
    }

    /// <summary>
    /// Every (schedule, peak LR, warmup, horizon) combination of the grid must be a valid schedule,
    /// so no run fails later on a schedule that was knowable now. Each problem is reported once.
    /// </summary>
    /// <summary>Combinations of schedule, horizon, warmup and peak LR checked one by one; past it, each axis by its extremes.</summary>
    private const int ExhaustiveScheduleChecks = 100_000;

    private static void CheckEveryScheduleOfTheGrid(SweepSpec spec, IReadOnlyDictionary<string, (string Path, int? Line)> lines, List<SpecError> errors)
    {
        var seen = new HashSet<string>();
        // A schedule's constraints are linear in its warmup and its peak LR, so the values that pass
        // them form an interval: past a few combinations, the smallest and largest of each axis stand
        // for all (a grid of 1e5 warmups × 1e5 horizons is then checked in 2 × 1e5 schedules).
        var combinations = (double)spec.Schedules.Count * spec.TotalSteps.Count * spec.WarmupSteps.Count * spec.PeakLr.Count;
        var warmups = combinations <= ExhaustiveScheduleChecks ? spec.WarmupSteps : [spec.WarmupSteps.Min(), spec.WarmupSteps.Max()];
        var peaks = combinations <= ExhaustiveScheduleChecks ? spec.PeakLr : [spec.PeakLr.Min(), spec.PeakLr.Max()];
        foreach (var schedule in spec.Schedules)
        {
            foreach (var totalSteps in spec.TotalSteps)
            {
                foreach (var warmup in warmups.Distinct())
                {
                    foreach (var peak in peaks.Distinct())
                    {
                        var complete = SweepGrid.Complete(schedule.Template, peak, warmup, totalSteps);
                        foreach (var error in ScheduleValidator.Validate(complete))
                        {
                            // A problem of a grid axis (warmup ≥ horizon) is said once for the axis; a
                            // problem of a template is said with the grid point that shows it.
                            var onAxis = lines.TryGetValue(error.Path, out var axis);
                            var (path, line) = onAxis ? axis : ($"schedules.{schedule.Name}.{error.Path}", null);
                            var message = onAxis
                                ? $"{error.Message} (with total_steps {totalSteps})"
                                : $"{error.Message} (at total_steps {totalSteps}, warmup_steps {warmup})";
                            if (seen.Add(path + message))
                            {
                                errors.Add(new SpecError(path, message, line));
                            }
                        }
                    }
                }
            }
        }
    }
}
