using System.Globalization;
using System.Text.Json;
using Sweeps.Cli.Output;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands.Bench;

/// <summary>The human-readable form of <c>sweeps bench laws</c>: one line per measurement, ratios first.</summary>
internal static class BenchLawsTable
{
    public static string Render(Dictionary<string, object> report)
    {
        // Read the report back through its JSON form so the table shows exactly what --json prints.
        using var document = JsonDocument.Parse(ConsoleJson.Serialize(report));
        var root = document.RootElement;
        double Get(string section, params string[] path)
        {
            var element = root.GetProperty(section);
            foreach (var key in path)
            {
                element = element.GetProperty(key);
            }

            return element.GetDouble();
        }

        string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        string N(JsonElement e, string key, string format) => e.GetProperty(key).ValueKind == JsonValueKind.Number ? F(e.GetProperty(key).GetDouble(), format) : "–";
        var methods = new List<string> { "MPL fit methods, fitted on the paper's three training schedules, scored on the other six (held-out means):" };
        foreach (var fitCase in root.GetProperty("mpl_methods").EnumerateArray())
        {
            foreach (var method in fitCase.GetProperty("methods").EnumerateObject())
            {
                var m = method.Value;
                var chose = m.GetProperty("chose").ValueKind == JsonValueKind.String ? $" (chose {m.GetProperty("chose").GetString()})" : "";
                methods.Add($"  {fitCase.GetProperty("name").GetString(),-12} {method.Name,-12} objective {N(m, "objective", "E3")}  R² {N(m, "r2", "F5")}  PredE {N(m, "pred_e", "F5")}  WorstE {N(m, "worst_e", "F5")}  {N(m, "elapsed_seconds", "F2")} s{chose}");
            }
        }

        return string.Join(Environment.NewLine, methods) + Environment.NewLine + string.Join(Environment.NewLine,
            $"MPL fit, paper split, {root.GetProperty("mpl_fit").GetProperty("method").GetString()}:    {F(Get("mpl_fit", "seconds"), "F2")} s ({F(Get("mpl_fit", "speedup"), "F0")}× faster than the published 69 s); " +
            $"objective {F(Get("mpl_fit", "objective"), "E3")} (published parameters {F(Get("mpl_fit", "published_params_objective"), "E3")})",
            $"  held-out mean R² {F(Get("mpl_fit", "test", "r2"), "F5")}, PredE {F(Get("mpl_fit", "test", "pred_e"), "F5")}, WorstE {F(Get("mpl_fit", "test", "worst_e"), "F5")} " +
            $"(published parameters: {F(Get("mpl_fit", "published_params_test", "r2"), "F5")}, {F(Get("mpl_fit", "published_params_test", "pred_e"), "F5")}, {F(Get("mpl_fit", "published_params_test", "worst_e"), "F5")})",
            $"MPL evaluation:          {F(Get("mpl_evaluate", "seconds") * 1e3, "F1")} ms vs naive {F(Get("mpl_evaluate", "naive_seconds") * 1e3, "F1")} ms (ratio {F(Get("mpl_evaluate", "ratio"), "F3")})",
            $"Schedule, 24,000 steps:  {F(Get("schedule", "seconds"), "F3")} s, loss {F(Get("schedule", "predicted_final_loss"), "F5")}; " +
            $"published Adam {F(Get("schedule", "adam_seconds"), "F1")} s, loss {F(Get("schedule", "adam_predicted_final_loss"), "F5")} " +
            $"(ratio {F(Get("schedule", "ratio"), "F4")}; {F(Get("schedule", "speedup"), "F0")}× faster than the published 27.5 s)",
            $"Chinchilla, {Get("chinchilla", "points")} points:  {F(Get("chinchilla", "seconds"), "F3")} s, objective {F(Get("chinchilla", "objective"), "E3")}");
    }
}
