using System.Text.Json;
using Sweeps.Core.Specs;
using Sweeps.Laws.Scaling;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands.Law;

/// <summary>
/// A fit written by <c>sweeps law fit --out</c>, read back: the law's name, its parameters and,
/// for a fit across model sizes, the range of scales it was fitted on, and how it was fitted (null
/// for files written before fits recorded their method).
/// </summary>
internal sealed record FitFile(string Law, Dictionary<string, double> Parameters, FittedRange? Range, string? Method = null)
{
    /// <returns>The fit, or null and a message naming the file and what is wrong with it.</returns>
    public static (FitFile? Fit, string? Problem) Read(string path)
    {
        if (LawFitJson.ReadDocument(path, out var problem) is not { } root)
        {
            return (null, $"{path}: {problem}");
        }

        try
        {
            var (law, parameters) = LawFitJson.Read(root);
            var range = root.TryGetProperty("fitted_range", out var written) ? written.Deserialize<FittedRange>(ConsoleJson.Options) : null;
            var method = root.TryGetProperty("method", out var how) && how.ValueKind == JsonValueKind.String ? how.GetString() : null;
            return (new FitFile(law, parameters, range, method), null);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return (null, $"{path}: {LawFitJson.Problem(e)}");
        }
        catch (JsonException)
        {
            return (null, $"{path}: its fitted_range is not one `sweeps law fit --out` writes");
        }
    }

    /// <returns>The multi-scale MPL of the file, or null and why not (another law, one model size, unreadable).</returns>
    public static (MultiScaleMpl? Law, FittedRange? Range, string? Problem) ReadMultiScale(string path)
    {
        var (fit, problem) = Read(path);
        if (fit is null)
        {
            return (null, null, problem);
        }

        if (!MultiScaleMpl.IsMultiScale(fit.Parameters))
        {
            return (null, null, $"{path}: a {fit.Law} fit of one model size cannot predict at another; fit mpl to curves of several model sizes (`sweeps law fit mpl --curves small.yaml --curves large.yaml --out FIT.json`)");
        }

        try
        {
            return (MultiScaleMpl.FromCoefficients(fit.Parameters), fit.Range, null);
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException)
        {
            return (null, null, $"{path}: {e.Message}");
        }
    }
}
