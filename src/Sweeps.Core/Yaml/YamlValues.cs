using System.Globalization;
using Sweeps.Core.Specs;
using YamlDotNet.RepresentationModel;

namespace Sweeps.Core.Yaml;

/// <summary>Scalar conversions that record a <see cref="SpecError"/> instead of throwing.</summary>
public static class YamlValues
{
    public static string? Text(YamlNode node, string path, List<SpecError> errors)
    {
        if (node is YamlScalarNode { Value: { } value })
        {
            return value;
        }

        errors.Add(new SpecError(path, "must be a single value", (int)node.Start.Line));
        return null;
    }

    public static double? Number(YamlNode node, string path, List<SpecError> errors)
    {
        if (Text(node, path, errors) is not { } text)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        errors.Add(new SpecError(path, $"must be a finite number, got '{text}'", (int)node.Start.Line));
        return null;
    }

    /// <summary>An integer; <c>2.4e4</c> is accepted because step counts are often written that way.</summary>
    public static int? WholeNumber(YamlNode node, string path, List<SpecError> errors)
    {
        if (Number(node, path, errors) is not { } value)
        {
            return null;
        }

        if (value == Math.Round(value) && Math.Abs(value) <= int.MaxValue)
        {
            return (int)value;
        }

        errors.Add(new SpecError(path, $"must be a whole number, got {value.ToString(CultureInfo.InvariantCulture)}", (int)node.Start.Line));
        return null;
    }

    /// <summary>Parses a whole YAML document into its root mapping, or records why it cannot.</summary>
    public static YamlMappingNode? Root(string text, List<SpecError> errors)
    {
        if (YamlLimits.NestingBound(text) > YamlLimits.MaximumDepth)
        {
            errors.Add(new SpecError("", $"nests more than {YamlLimits.MaximumDepth} levels of mappings and sequences; a spec or manifest needs a few"));
            return null;
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            errors.Add(new SpecError("", $"not valid YAML: {e.InnerException?.Message ?? e.Message}", (int)e.Start.Line));
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet (16.x) fails these ways, without a position, on some malformed input found by
            // GeneratedInputTests: a byte-order mark mid-line (scanner), a flow mapping with a key lost
            // in a typo such as {k total_steps: 3} (loader).
            errors.Add(new SpecError("", "not valid YAML: the reader could not scan it (look for stray characters: a byte-order mark, '%', '@', '`' or control characters)"));
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(new SpecError("", "the document must be a YAML mapping"));
            return null;
        }

        if (YamlLimits.ExpandedNodes(root) > YamlLimits.MaximumExpandedNodes)
        {
            errors.Add(new SpecError("", $"holds more than {YamlLimits.MaximumExpandedNodes:N0} values once its aliases are expanded (an alias bomb?); a spec or manifest holds a few thousand"));
            return null;
        }

        return root;
    }
}
