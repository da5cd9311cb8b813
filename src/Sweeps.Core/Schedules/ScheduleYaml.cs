using Sweeps.Core.Curves;
using Sweeps.Core.Specs;
using Sweeps.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sweeps.Core.Schedules;

/// <summary>
/// Reads a schedule mapping (<c>{kind: cosine, peak_lr: 3e-4, ...}</c>) from a spec or manifest.
/// Keys may be missing here: a sweep's template gets peak LR, warmup and horizon from its grid;
/// <see cref="ScheduleValidator"/> checks the completed schedule.
/// </summary>
public static class ScheduleYaml
{
    /// <param name="map">The schedule mapping.</param>
    /// <param name="baseDirectory">Where a table schedule's <c>file</c> is looked up.</param>
    public static ScheduleSpec? Read(YamlMap map, string? baseDirectory)
    {
        var spec = new ScheduleSpec();
        var kindText = map.Text("kind");
        if (kindText is null)
        {
            map.Error("kind", $"is required (one of {Names.Allowed<ScheduleKind>()})");
        }
        else if (Names.TryParse<ScheduleKind>(kindText, out var kind))
        {
            spec = spec with { Kind = kind };
        }
        else
        {
            map.Error("kind", $"unknown schedule kind '{kindText}' (one of {Names.Allowed<ScheduleKind>()})");
        }

        spec = spec with
        {
            PeakLr = map.Number("peak_lr"),
            FinalLr = map.Number("final_lr"),
            FinalLrRatio = map.Number("final_lr_ratio"),
            WarmupSteps = map.WholeNumber("warmup_steps") ?? 0,
            WarmupLr = map.Number("warmup_lr"),
            TotalSteps = map.WholeNumber("total_steps") ?? 0,
            DecayStart = map.WholeNumber("decay_start"),
            DecayFraction = map.Number("decay_fraction"),
            Power = map.Number("power") ?? 1.0,
        };
        if (ReadEnum<WarmupKind>(map, "warmup") is { } warmup)
        {
            spec = spec with { Warmup = warmup };
        }

        if (ReadEnum<DecayShape>(map, "decay_shape") is { } shape)
        {
            spec = spec with { DecayShape = shape };
        }

        spec = spec with
        {
            Stages = ReadList(map, "stages", item => new StepStage(item.WholeNumber("until") ?? 0, item.Number("lr"), item.Number("lr_ratio"))),
            Decays = ReadList(map, "decays", item => new DecayWindow(item.WholeNumber("start") ?? 0, item.WholeNumber("end") ?? 0)),
            Values = ReadValues(map, baseDirectory),
        };
        map.RejectUnknownKeys();
        return spec;
    }

    private static TEnum? ReadEnum<TEnum>(YamlMap map, string key) where TEnum : struct, Enum
    {
        if (map.Text(key) is not { } text)
        {
            return null;
        }

        if (Names.TryParse<TEnum>(text, out var value))
        {
            return value;
        }

        map.Error(key, $"unknown value '{text}' (one of {Names.Allowed<TEnum>()})");
        return null;
    }

    private static List<T> ReadList<T>(YamlMap map, string key, Func<YamlMap, T> read)
    {
        if (map.Sequence(key) is not { } sequence)
        {
            return [];
        }

        var items = new List<T>();
        var errors = map.Errors;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (sequence.Children[i] is YamlMappingNode node)
            {
                var item = new YamlMap(node, $"{map.PathOf(key)}[{i}]", errors);
                items.Add(read(item));
                item.RejectUnknownKeys();
            }
            else
            {
                errors.Add(new SpecError($"{map.PathOf(key)}[{i}]", "must be a mapping", (int)sequence.Children[i].Start.Line));
            }
        }

        return items;
    }

    private static double[] ReadValues(YamlMap map, string? baseDirectory)
    {
        var file = map.Text("file");
        if (map.Sequence("values") is { } sequence)
        {
            if (file is not null)
            {
                map.Error("file", "give values or file, not both");
            }

            return sequence.Children
                .Select((node, i) => YamlValues.Number(node, $"{map.PathOf("values")}[{i}]", map.Errors) ?? double.NaN)
                .ToArray();
        }

        if (file is null)
        {
            return [];
        }

        var path = System.IO.Path.Combine(baseDirectory ?? ".", file);
        var table = LrTable.Read(path);
        foreach (var error in table.Errors)
        {
            map.Error("file", error.Format(file));
        }

        return table.Values;
    }
}
