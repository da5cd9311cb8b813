using System.Globalization;
using System.Text.Json;

namespace Sweeps.Kernels.ExternalRuns;

/// <summary>
/// One line of a training process's stdout under the protocol: a JSON object with <c>step</c> and
/// <c>loss</c> (and optionally <c>lr</c> and other numeric metrics) is a curve point;
/// <c>{"event": "diverged"}</c> says the run diverged; anything else is log.
/// </summary>
public abstract record ProtocolLine
{
    public sealed record Point(int Step, double Loss, double? Lr, IReadOnlyDictionary<string, double> Metrics) : ProtocolLine;

    public sealed record Diverged : ProtocolLine;

    public sealed record Log(string Text) : ProtocolLine;

    public static ProtocolLine Parse(string line)
    {
        var trimmed = line.Trim();
        if (!trimmed.StartsWith('{'))
        {
            return new Log(line);
        }

        try
        {
            using var document = JsonDocument.Parse(trimmed);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new Log(line);
            }

            if (root.TryGetProperty("event", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "diverged")
            {
                return new Diverged();
            }

            if (Number(root, "step") is not { } step || step < 0 || step > int.MaxValue || step != Math.Floor(step)
                || !root.TryGetProperty("loss", out var lossElement))
            {
                return new Log(line);
            }

            // A loss of NaN or Infinity is a point too (a diverging run): JSON has no such numbers, so
            // processes write them as strings or null.
            var loss = lossElement.ValueKind switch
            {
                JsonValueKind.Number => lossElement.GetDouble(),
                JsonValueKind.String when double.TryParse(lossElement.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                JsonValueKind.String or JsonValueKind.Null => double.NaN,
                _ => (double?)null,
            };
            if (loss is not { } value)
            {
                return new Log(line);
            }

            var metrics = root.EnumerateObject()
                .Where(p => p.Name is not ("step" or "loss" or "lr") && p.Value.ValueKind == JsonValueKind.Number)
                .ToDictionary(p => p.Name, p => p.Value.GetDouble());
            return new Point((int)step, value, Number(root, "lr"), metrics);
        }
        catch (JsonException)
        {
            return new Log(line);
        }
    }

    private static double? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number ? element.GetDouble() : null;
}
