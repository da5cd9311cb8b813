using System.Globalization;
using System.Text.RegularExpressions;

namespace Sweeps.Core.ExternalRuns;

/// <summary>Sizes in specs: a number of bytes, or a number with a unit: <c>512MiB</c>, <c>4GiB</c>, <c>2GB</c> (KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024).</summary>
public static partial class ByteSizes
{
    public static long? ParseBytes(string text)
    {
        var match = Size().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var bytes = value * match.Groups[2].Value.ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "KB" => 1e3,
            "MB" => 1e6,
            "GB" => 1e9,
            "TB" => 1e12,
            "KIB" => 1L << 10,
            "MIB" => 1L << 20,
            "GIB" => 1L << 30,
            _ => 1L << 40,
        };
        return bytes is >= 1 and < long.MaxValue ? (long)bytes : null;
    }

    /// <summary>For messages: the size in the largest binary unit that keeps it ≥ 1 (<c>1.5 GiB</c>).</summary>
    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.#} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Size();
}
