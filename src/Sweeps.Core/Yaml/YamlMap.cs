using System.Globalization;
using Sweeps.Core.Specs;
using YamlDotNet.RepresentationModel;

namespace Sweeps.Core.Yaml;

/// <summary>
/// A YAML mapping read key by key with its path, so every problem is reported as a
/// <see cref="SpecError"/> with the YAML path and line, and keys nobody asked for are reported as
/// unknown. Readers never throw on bad input: they record an error and return null.
/// </summary>
public sealed class YamlMap
{
    private readonly YamlMappingNode _node;
    private readonly List<SpecError> _errors;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public YamlMap(YamlMappingNode node, string path, List<SpecError> errors)
    {
        _node = node;
        _errors = errors;
        Path = path;
    }

    public string Path { get; }

    /// <summary>The shared list every reader of this document records its problems in.</summary>
    public List<SpecError> Errors => _errors;

    public int Line => (int)_node.Start.Line;

    /// <summary>The line of each key of this mapping.</summary>
    public IReadOnlyDictionary<string, int> KeyLines => _node.Children
        .Where(kv => kv.Key is YamlScalarNode { Value: not null })
        .ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => (int)kv.Key.Start.Line);

    public IEnumerable<string> Keys => _node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "");

    public string PathOf(string key) => string.IsNullOrEmpty(Path) ? key : $"{Path}.{key}";

    /// <summary>Whether <paramref name="key"/> is present; either way it is a key this reader knows, named when an unknown key is reported.</summary>
    public bool Has(string key)
    {
        _known.Add(key);
        return Find(key) is not null;
    }

    /// <summary>The raw node under <paramref name="key"/>, marking the key as known.</summary>
    public YamlNode? Node(string key)
    {
        _known.Add(key);
        return Find(key);
    }

    public void Error(string key, string message) => _errors.Add(new SpecError(PathOf(key), message, LineOf(key)));

    public int? LineOf(string key) => Find(key) is { } n ? (int)n.Start.Line : null;

    public string? Text(string key) => Node(key) is { } node ? YamlValues.Text(node, PathOf(key), _errors) : null;

    public double? Number(string key) => Node(key) is { } node ? YamlValues.Number(node, PathOf(key), _errors) : null;

    public int? WholeNumber(string key) => Node(key) is { } node ? YamlValues.WholeNumber(node, PathOf(key), _errors) : null;

    public YamlMap? Map(string key)
    {
        if (Node(key) is not { } node)
        {
            return null;
        }

        if (node is YamlMappingNode map)
        {
            return new YamlMap(map, PathOf(key), _errors);
        }

        Error(key, "must be a mapping");
        return null;
    }

    public YamlSequenceNode? Sequence(string key)
    {
        if (Node(key) is not { } node)
        {
            return null;
        }

        if (node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        Error(key, "must be a list");
        return null;
    }

    /// <summary>Reports every key that no reader asked for, naming the keys that are allowed.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var (keyNode, _) in _node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? keyNode.ToString();
            if (!_known.Contains(key))
            {
                _errors.Add(new SpecError(PathOf(key), $"unknown key (allowed: {string.Join(", ", _known.Order())})", (int)keyNode.Start.Line));
            }
        }
    }

    private YamlNode? Find(string key) =>
        _node.Children.TryGetValue(new YamlScalarNode(key), out var value) && !IsNull(value) ? value : null;

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "" or "~" or "null" };
}
