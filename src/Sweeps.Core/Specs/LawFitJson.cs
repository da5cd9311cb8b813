using System.Text.Json;

namespace Sweeps.Core.Specs;

/// <summary>
/// The law and parameters of a fit file, <c>{"law": "mpl", "params": {"L0": …, …}, …}</c>, as
/// <c>sweeps law fit --out</c> writes it: read by <c>law eval</c>, <c>predict --fit</c> and a spec's
/// <c>adaptive.stop.fit</c> alike.
/// </summary>
public static class LawFitJson
{
    /// <exception cref="KeyNotFoundException">The document has no <c>law</c> or <c>params</c>.</exception>
    /// <exception cref="InvalidOperationException">One of them is not of its kind (a string, an object of numbers).</exception>
    public static (string Law, Dictionary<string, double> Parameters) Read(JsonElement root) =>
        (root.GetProperty("law").GetString() ?? "", root.GetProperty("params").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()));

    /// <returns>The fit, or null and what is wrong with the file (unreadable, not JSON, not a fit).</returns>
    public static (string Law, Dictionary<string, double> Parameters)? ReadFile(string path, out string? problem)
    {
        if (Input.InputText.Read(path, out problem) is not { } text)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return Read(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            problem = $"not a fit written by `sweeps law fit --out`: {e.Message}";
            return null;
        }
    }
}
