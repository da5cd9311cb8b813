using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Sweeps.Cli.Tests;

/// <summary>
/// Renders the Helm chart in helm/sweeps as <c>helm template</c> would (objects in file order, where
/// Helm orders them by kind), for the part of Helm's
/// template language the chart uses (no helm binary is served here): <c>.Release.Name</c>,
/// <c>.Values.a.b</c> with <c>| quote</c>, <c>include "…" . | nindent N</c>, <c>toYaml .Values.x | nindent N</c>,
/// <c>if</c> on a value or on <c>eq .Values.x "…"</c>, <c>else</c>, <c>end</c>, <c>define</c>, and the
/// <c>{{-</c> / <c>-}}</c> whitespace trims. Anything else throws: a template that reaches beyond this
/// subset fails its test instead of being rendered wrongly.
/// </summary>
internal sealed partial class HelmSubset(string chart, string release, IReadOnlyDictionary<string, string> overrides)
{
    private readonly YamlMappingNode _values = Load(Path.Combine(chart, "values.yaml"));
    private readonly Dictionary<string, string> _defines = Defines(Path.Combine(chart, "templates", "_helpers.tpl"));

    /// <summary>Every template's objects, in file order, as one multi-document YAML (NOTES.txt and helpers left out).</summary>
    public string Render()
    {
        var output = new StringBuilder();
        foreach (var file in Directory.GetFiles(Path.Combine(chart, "templates"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var text = Expand(File.ReadAllText(file)).Trim('\n');
            if (text.Trim().Length > 0)
            {
                output.Append("---\n# Source: sweeps/templates/").Append(Path.GetFileName(file)).Append('\n').Append(text).Append('\n');
            }
        }

        return output.ToString();
    }

    private string Expand(string template)
    {
        var output = new StringBuilder();
        var emitting = new Stack<(bool Parent, bool Condition)>();
        bool Emitting() => emitting.All(e => e.Parent && e.Condition);
        var position = 0;
        foreach (Match action in Action().Matches(template))
        {
            if (Emitting())
            {
                // The text before the action, less its trailing whitespace when the action says {{-.
                output.Append(template[position..action.Index]);
                if (action.Groups["left"].Success)
                {
                    TrimEnd(output);
                }
            }

            position = action.Index + action.Length;
            if (action.Groups["right"].Success)
            {
                while (position < template.Length && char.IsWhiteSpace(template[position]))
                {
                    position++;
                }
            }

            var body = action.Groups["body"].Value.Trim();
            if (body.StartsWith("if ", StringComparison.Ordinal))
            {
                emitting.Push((Emitting(), Condition(body[3..].Trim())));
            }
            else if (body == "else")
            {
                var (parent, condition) = emitting.Pop();
                emitting.Push((parent, !condition));
            }
            else if (body == "end")
            {
                emitting.Pop();
            }
            else if (Emitting())
            {
                output.Append(Evaluate(body));
            }
        }

        if (Emitting())
        {
            output.Append(template[position..]);
        }

        return output.ToString();
    }

    private string Evaluate(string expression)
    {
        var stages = expression.Split('|').Select(s => s.Trim()).ToList();
        var value = stages[0] switch
        {
            ".Release.Name" => release,
            var include when include.StartsWith("include ", StringComparison.Ordinal) => Expand(_defines[Quoted(include)]).Trim('\n'),
            var toYaml when toYaml.StartsWith("toYaml ", StringComparison.Ordinal) => ToYaml(Lookup(toYaml[7..].Trim()), 0).TrimEnd('\n'),
            var path when path.StartsWith(".Values.", StringComparison.Ordinal) => Scalar(Lookup(path)),
            var other => throw new NotSupportedException($"not in the subset: {{{{ {other} }}}}"),
        };
        foreach (var stage in stages.Skip(1))
        {
            value = stage switch
            {
                "quote" => $"\"{value}\"",
                var nindent when nindent.StartsWith("nindent ", StringComparison.Ordinal) =>
                    "\n" + string.Join('\n', value.Split('\n').Select(line => new string(' ', int.Parse(nindent[8..], CultureInfo.InvariantCulture)) + line)),
                var other => throw new NotSupportedException($"not in the subset: | {other}"),
            };
        }

        return value;
    }

    private bool Condition(string condition)
    {
        if (condition.StartsWith("eq ", StringComparison.Ordinal))
        {
            var parts = condition[3..].Trim().Split(' ', 2);
            return Scalar(Lookup(parts[0])) == Quoted(parts[1]);
        }

        return Lookup(condition) switch
        {
            YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.DoubleQuoted or YamlDotNet.Core.ScalarStyle.SingleQuoted } quoted => quoted.Value!.Length > 0,
            YamlScalarNode plain => plain.Value is not (null or "" or "0" or "false" or "~"),
            YamlMappingNode mapping => mapping.Children.Count > 0,
            _ => true,
        };
    }

    private YamlNode Lookup(string path)
    {
        if (overrides.TryGetValue(path, out var given))
        {
            return new YamlScalarNode(given);
        }

        if (!path.StartsWith(".Values.", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"not in the subset: {path}");
        }

        YamlNode node = _values;
        foreach (var key in path[".Values.".Length..].Split('.'))
        {
            node = ((YamlMappingNode)node)[key];
        }

        return node;
    }

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value ?? "";

    /// <summary>Helm's toYaml: keys in sorted order, strings that would read as numbers quoted.</summary>
    private static string ToYaml(YamlNode node, int indent)
    {
        var output = new StringBuilder();
        foreach (var (key, value) in ((YamlMappingNode)node).Children.OrderBy(c => ((YamlScalarNode)c.Key).Value, StringComparer.Ordinal))
        {
            output.Append(' ', indent).Append(((YamlScalarNode)key).Value).Append(':');
            if (value is YamlMappingNode)
            {
                output.Append('\n').Append(ToYaml(value, indent + 2));
            }
            else
            {
                var text = Scalar(value);
                var quoted = ((YamlScalarNode)value).Style is YamlDotNet.Core.ScalarStyle.DoubleQuoted or YamlDotNet.Core.ScalarStyle.SingleQuoted
                    && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
                output.Append(' ').Append(quoted ? $"\"{text}\"" : text).Append('\n');
            }
        }

        return output.ToString();
    }

    private static void TrimEnd(StringBuilder output)
    {
        while (output.Length > 0 && char.IsWhiteSpace(output[^1]))
        {
            output.Length--;
        }
    }

    private static string Quoted(string text) => Regex.Match(text, "\"([^\"]*)\"").Groups[1].Value;

    private static YamlMappingNode Load(string path)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(path);
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static Dictionary<string, string> Defines(string path) =>
        Define().Matches(File.ReadAllText(path)).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["body"].Value);

    [GeneratedRegex(@"\{\{(?<left>-)?\s*(?<body>.*?)\s*(?<right>-)?\}\}", RegexOptions.Singleline)]
    private static partial Regex Action();

    [GeneratedRegex(@"\{\{-?\s*define\s+""(?<name>[^""]+)""\s*-?\}\}(?<body>.*?)\{\{-?\s*end\s*-?\}\}", RegexOptions.Singleline)]
    private static partial Regex Define();
}
