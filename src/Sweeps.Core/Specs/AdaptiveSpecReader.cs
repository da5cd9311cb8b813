using System.Globalization;
using Sweeps.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sweeps.Core.Specs;

/// <summary>
/// Reads a spec's <c>adaptive:</c> section: <c>stop:</c>, a rule's name (<c>stop: asha</c>) or its
/// settings (<c>stop: {law: mpl, after: 0.1, margin: 0.002}</c>, <c>stop: {rule: median, startup_runs: 5}</c>),
/// and <c>refine: {axis: peak_lr, until: 0.1, max_added_runs: 100}</c>. The law rule's <c>fit: FILE</c>
/// (a <c>sweeps law fit --out</c> file, relative to the spec) is read here, into the spec.
/// A setting of another rule than the one chosen is an error, not silently ignored.
/// </summary>
internal static class AdaptiveSpecReader
{
    private static readonly string[] RuleNames = [.. Enum.GetNames<StoppingRuleKind>().Select(n => n.ToLowerInvariant())];

    /// <summary>Which rules read each setting.</summary>
    private static readonly Dictionary<string, StoppingRuleKind[]> SettingRules = new()
    {
        ["law"] = [StoppingRuleKind.Law],
        ["fit"] = [StoppingRuleKind.Law],
        ["after"] = [StoppingRuleKind.Law, StoppingRuleKind.Median],
        ["every"] = [StoppingRuleKind.Law, StoppingRuleKind.Median],
        ["margin"] = [StoppingRuleKind.Law],
        ["confidence"] = [StoppingRuleKind.Law],
        ["reduction_factor"] = [StoppingRuleKind.Asha],
        ["min_resource"] = [StoppingRuleKind.Asha],
        ["startup_runs"] = [StoppingRuleKind.Median],
    };

    /// <param name="baseDirectory">Where a relative <c>fit</c> file is looked up.</param>
    public static AdaptiveSpec? Read(YamlMap top, string? baseDirectory)
    {
        if (top.Map("adaptive") is not { } adaptive)
        {
            return null;
        }

        var stop = adaptive.Node("stop") switch
        {
            null => null,
            YamlScalarNode => RuleByName(adaptive, "stop", adaptive.Text("stop")) is { } rule ? new StoppingSettings { Rule = rule } : null,
            _ => adaptive.Map("stop") is { } map ? ReadStop(map, baseDirectory) : null,
        };
        var refine = adaptive.Map("refine") is { } refineMap ? ReadRefine(refineMap) : null;
        adaptive.RejectUnknownKeys();
        if (!adaptive.Keys.Any())
        {
            top.Error("adaptive", "is empty: give it stop: (law, asha or median) or refine:, or leave it out");
        }

        return stop is null && refine is null ? null : new AdaptiveSpec { Stop = stop, Refine = refine };
    }

    private static RefineSettings ReadRefine(YamlMap refine)
    {
        var defaults = new RefineSettings();
        var axis = refine.Text("axis") ?? defaults.Axis;
        if (axis != defaults.Axis)
        {
            refine.Error("axis", $"only peak_lr is refined (the axis whose optimum the laws fit), got '{axis}'");
        }

        var settings = new RefineSettings
        {
            Axis = axis,
            Until = Fraction(refine, "until", defaults.Until, "a width in log10 LR in (0, 3]", v => v is > 0 and <= 3),
            MaxAddedRuns = refine.Has("max_added_runs") ? Whole(refine, "max_added_runs", 0, 1, 1_000_000) : null,
        };
        refine.RejectUnknownKeys();
        return settings;
    }

    private static StoppingSettings? ReadStop(YamlMap stop, string? baseDirectory)
    {
        var defaults = new StoppingSettings();
        var law = stop.Text("law");
        var rule = stop.Has("rule") ? RuleByName(stop, "rule", stop.Text("rule")) : StoppingRuleKind.Law;
        if (law is not null && !KnownLaws.CurveLaws.Contains(law))
        {
            stop.Error("law", $"unknown curve law '{law}' (one of {string.Join(", ", KnownLaws.CurveLaws)})");
        }

        var fitFile = stop.Text("fit");
        var fit = fitFile is null || rule != StoppingRuleKind.Law ? null : ReadFit(stop, baseDirectory, fitFile, law);
        var settings = new StoppingSettings
        {
            Rule = rule ?? StoppingRuleKind.Law,
            Law = fit?.Law ?? law ?? defaults.Law,
            FitParameters = fit?.Parameters,
            FitFile = fit is null ? null : fitFile,
            After = Fraction(stop, "after", defaults.After, "a share of the horizon in (0, 1)", v => v is > 0 and < 1),
            Every = Fraction(stop, "every", defaults.Every, "a share of the horizon in (0, 1]", v => v is > 0 and <= 1),
            Margin = Fraction(stop, "margin", defaults.Margin, "a share of the best loss in [0, 1)", v => v is >= 0 and < 1),
            Confidence = Fraction(stop, "confidence", defaults.Confidence, "a probability in [0.5, 0.99]", v => v is >= 0.5 and <= 0.99),
            MinResource = Fraction(stop, "min_resource", defaults.MinResource, "a share of the horizon in (0, 1)", v => v is > 0 and < 1),
            ReductionFactor = Whole(stop, "reduction_factor", defaults.ReductionFactor, 2, 100),
            StartupRuns = Whole(stop, "startup_runs", defaults.StartupRuns, 1, 1_000_000),
        };
        stop.RejectUnknownKeys();
        if (rule is not { } chosen)
        {
            return null;
        }

        foreach (var (key, rules) in SettingRules.Where(s => stop.Has(s.Key) && !s.Value.Contains(chosen)))
        {
            stop.Error(key, $"is a setting of rule {string.Join(" and ", rules.Select(Name))}, not of rule {Name(chosen)}");
        }

        return settings;
    }

    /// <summary>The law and parameters of <c>fit</c>'s file, or null with an error: unreadable, not a fit, not a curve law, or another law than <c>law:</c> names.</summary>
    private static (string Law, IReadOnlyDictionary<string, double> Parameters)? ReadFit(YamlMap stop, string? baseDirectory, string file, string? law)
    {
        if (LawFitJson.ReadFile(Path.Combine(baseDirectory ?? ".", file), out var problem) is not { } fit)
        {
            stop.Error("fit", $"{file}: {problem}");
            return null;
        }

        if (!KnownLaws.CurveLaws.Contains(fit.Law))
        {
            stop.Error("fit", $"{file} holds a fit of law '{fit.Law}'; a run's curve is predicted by a curve law ({string.Join(", ", KnownLaws.CurveLaws)})");
            return null;
        }

        if (law is not null && law != fit.Law)
        {
            stop.Error("fit", $"{file} holds a fit of law {fit.Law}, not of {law} as law: says (leave law: out to use the file's)");
            return null;
        }

        if (fit.Parameters.Count == 0 || fit.Parameters.Values.Any(v => !double.IsFinite(v)))
        {
            stop.Error("fit", $"{file}: the {fit.Law} fit's parameters must be finite numbers, and there must be some");
            return null;
        }

        return (fit.Law, fit.Parameters);
    }

    private static StoppingRuleKind? RuleByName(YamlMap map, string key, string? name)
    {
        if (name is not null && Enum.TryParse<StoppingRuleKind>(name, ignoreCase: true, out var rule) && RuleNames.Contains(name))
        {
            return rule;
        }

        if (name is not null)
        {
            map.Error(key, $"unknown stopping rule '{name}' (one of {string.Join(", ", RuleNames)})");
        }

        return null;
    }

    private static string Name(StoppingRuleKind rule) => rule.ToString().ToLowerInvariant();

    private static double Fraction(YamlMap map, string key, double defaultValue, string what, Func<double, bool> valid)
    {
        if (map.Number(key) is not { } value)
        {
            return defaultValue;
        }

        if (!valid(value))
        {
            map.Error(key, $"must be {what}, got {value.ToString(CultureInfo.InvariantCulture)}");
        }

        return value;
    }

    private static int Whole(YamlMap map, string key, int defaultValue, int min, int max)
    {
        if (map.WholeNumber(key) is not { } value)
        {
            return defaultValue;
        }

        if (value < min || value > max)
        {
            map.Error(key, $"must be in [{min}, {max}], got {value}");
        }

        return value;
    }
}
