using Sweeps.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Sweeps.Core.Specs;

/// <summary>
/// Reads a grid axis: a value, a list, <c>{log_space: [lo, hi], points: n}</c> (geometric, both
/// ends included) or <c>{lin_space: [lo, hi], points: n}</c>.
/// </summary>
public static class AxisValues
{
    public const int MaxPoints = 100_000;

    public static double[] Read(YamlNode node, string path, List<SpecError> errors)
    {
        switch (node)
        {
            case YamlScalarNode:
                return YamlValues.Number(node, path, errors) is { } single ? [single] : [];
            case YamlSequenceNode sequence:
                if (sequence.Children.Count == 0)
                {
                    errors.Add(new SpecError(path, "must list at least one value", (int)node.Start.Line));
                }

                return sequence.Children
                    .Select((child, i) => YamlValues.Number(child, $"{path}[{i}]", errors))
                    .Where(v => v is not null).Select(v => v!.Value).ToArray();
            case YamlMappingNode mapping:
                return ReadSpace(new YamlMap(mapping, path, errors));
            default:
                errors.Add(new SpecError(path, "must be a value, a list, {log_space: [lo, hi], points: n} or {lin_space: [lo, hi], points: n}", (int)node.Start.Line));
                return [];
        }
    }

    /// <summary>Geometric spacing; the ends are exactly <paramref name="low"/> and <paramref name="high"/>.</summary>
    public static double[] LogSpace(double low, double high, int points) =>
        Enumerable.Range(0, points).Select(i => i == 0 ? low : i == points - 1 ? high : low * Math.Pow(high / low, (double)i / (points - 1))).ToArray();

    public static double[] LinSpace(double low, double high, int points) =>
        Enumerable.Range(0, points).Select(i => i == 0 ? low : i == points - 1 ? high : low + (high - low) * i / (points - 1)).ToArray();

    private static double[] ReadSpace(YamlMap map)
    {
        var isLog = map.Has("log_space");
        var key = isLog ? "log_space" : "lin_space";
        var ends = map.Sequence(key);
        var points = map.WholeNumber("points");
        map.RejectUnknownKeys();
        if (ends is null)
        {
            map.Error(key, "is required: {log_space: [lo, hi], points: n} or {lin_space: [lo, hi], points: n}");
            return [];
        }

        if (ends.Children.Count != 2)
        {
            map.Error(key, $"must be [lo, hi], got {ends.Children.Count} values");
            return [];
        }

        var low = YamlValues.Number(ends.Children[0], $"{map.PathOf(key)}[0]", map.Errors);
        var high = YamlValues.Number(ends.Children[1], $"{map.PathOf(key)}[1]", map.Errors);
        if (points is null)
        {
            map.Error("points", "is required");
            return [];
        }

        if (points is < 1 or > MaxPoints)
        {
            map.Error("points", $"must be in [1, {MaxPoints}], got {points}");
            return [];
        }

        if (low is not { } lo || high is not { } hi)
        {
            return [];
        }

        if (isLog && !(lo > 0 && hi > 0))
        {
            map.Error(key, $"log_space needs both ends > 0, got [{lo}, {hi}]");
            return [];
        }

        if (!(lo <= hi))
        {
            map.Error(key, $"lo must not exceed hi, got [{lo}, {hi}]");
            return [];
        }

        return isLog ? LogSpace(lo, hi, points.Value) : LinSpace(lo, hi, points.Value);
    }
}
