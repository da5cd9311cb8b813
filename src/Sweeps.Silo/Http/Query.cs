using System.Globalization;

namespace Sweeps.Silo.Http;

/// <summary>Query-string values read strictly: a value that is present but wrong is a 400 that names it, never silently clamped or ignored.</summary>
internal static class Query
{
    /// <summary>A whole number in [<paramref name="minimum"/>, <paramref name="maximum"/>], <paramref name="absent"/> when not given; otherwise a problem is added.</summary>
    public static long Whole(string? text, string name, long absent, long minimum, long maximum, List<string> problems)
    {
        if (text is null)
        {
            return absent;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum)
        {
            return value;
        }

        problems.Add($"{name} must be a whole number in [{minimum}, {maximum}], got '{Shorten(text)}'");
        return absent;
    }

    /// <summary>A value as quoted back in an error: at most 40 characters.</summary>
    public static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
