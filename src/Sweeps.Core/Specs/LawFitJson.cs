using System.Text.Json;

namespace Sweeps.Core.Specs;

/// <summary>
/// The law and parameters of a fit file, <c>{"law": "mpl", "params": {"L0": …, …}, …}</c>, as
/// <c>sweeps law fit --out</c> writes it: read by <c>law eval</c>, <c>predict --fit</c> and a spec's
/// <c>adaptive.stop.fit</c> alike. Problems are said without the JSON parser's messages, which quote the
/// file's contents.
/// </summary>
public static class LawFitJson
{
    private const string NotAFit = "not a fit written by `sweeps law fit --out`";

    /// <exception cref="KeyNotFoundException">The document has no <c>law</c> or <c>params</c>.</exception>
    /// <exception cref="InvalidOperationException">One of them is not of its kind (a string, an object of numbers).</exception>
    public static (string Law, Dictionary<string, double> Parameters) Read(JsonElement root) =>
        (root.GetProperty("law").GetString() ?? "", root.GetProperty("params").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble()));

    /// <returns>The file's JSON, or null and why not (unreadable, not JSON).</returns>
    public static JsonElement? ReadDocument(string path, out string? problem)
    {
        if (Input.InputText.Read(path, out problem) is not { } text)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            problem = $"{NotAFit}: not JSON (line {e.LineNumber + 1})";
            return null;
        }
    }

    /// <returns>The fit, or null and what is wrong with the file (unreadable, not JSON, not a fit).</returns>
    public static (string Law, Dictionary<string, double> Parameters)? ReadFile(string path, out string? problem)
    {
        if (ReadDocument(path, out problem) is not { } root)
        {
            return null;
        }

        try
        {
            return Read(root);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            problem = Problem(e);
            return null;
        }
    }

    /// <summary>What an exception of <see cref="Read"/> says is wrong with the file.</summary>
    public static string Problem(Exception e) => e is KeyNotFoundException
        ? $"{NotAFit}: it has no \"law\" or no \"params\""
        : $"{NotAFit}: its \"law\" must be a string and its \"params\" an object of numbers";
}
