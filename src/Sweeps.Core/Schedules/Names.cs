namespace Sweeps.Core.Schedules;

/// <summary>
/// The spelling of enum values in YAML and JSON: kebab case (<c>wsd-s</c>, <c>inverse-linear</c>).
/// </summary>
public static class Names
{
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => Kebab(value.ToString());

    public static bool TryParse<TEnum>(string text, out TEnum value) where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Of(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static string Allowed<TEnum>() where TEnum : struct, Enum =>
        string.Join(", ", Enum.GetValues<TEnum>().Select(v => Of(v)));

    private static string Kebab(string pascal)
    {
        var chars = new System.Text.StringBuilder();
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0)
            {
                chars.Append('-');
            }

            chars.Append(char.ToLowerInvariant(pascal[i]));
        }

        return chars.ToString();
    }
}
