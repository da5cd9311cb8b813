using System.Globalization;
using System.Text.RegularExpressions;

namespace Sweeps.Core.ExternalRuns;

/// <summary>Durations in specs: a number of seconds, or a number with a unit: <c>90s</c>, <c>15m</c>, <c>2h</c>, <c>1.5d</c>.</summary>
public static partial class Durations
{
    public static double? ParseSeconds(string text)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
        {
            return double.IsFinite(plain) && plain > 0 ? plain : null;
        }

        var match = WithUnit().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var seconds = value * match.Groups[2].Value switch { "ms" => 1e-3, "s" => 1, "m" => 60, "h" => 3600, _ => 86_400 };
        return seconds > 0 ? seconds : null;
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h|d)$")]
    private static partial Regex WithUnit();
}
