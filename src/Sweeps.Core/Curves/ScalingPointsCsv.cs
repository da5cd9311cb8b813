using Sweeps.Core.Specs;

namespace Sweeps.Core.Curves;

/// <summary>
/// Reads scaling-law points, a CSV with columns <c>params,tokens,loss</c> (extra columns ignored);
/// every value must be finite and positive, and each problem names its line.
/// </summary>
public static class ScalingPointsCsv
{
    public static (IReadOnlyList<ScalingPoint> Points, IReadOnlyList<SpecError> Errors) Read(string path)
    {
        var errors = new List<SpecError>();
        var table = CsvTable.Read(path, errors);
        if (table is null)
        {
            return ([], Attach(errors, path));
        }

        string[] columns = ["params", "tokens", "loss"];
        var missing = columns.Where(c => table.Column(c) < 0).ToArray();
        if (missing.Length > 0)
        {
            errors.Add(new SpecError(string.Join(",", missing), $"missing column: the header must contain params,tokens,loss ({table.FoundHeader})", 1));
            return ([], Attach(errors, path));
        }

        var points = new List<ScalingPoint>();
        foreach (var (line, row) in table.Rows)
        {
            var values = columns.Select(c => row[table.Column(c)]).ToArray();
            var bad = columns.Where((_, i) => !(values[i] > 0) || !double.IsFinite(values[i])).ToArray();
            if (bad.Length > 0)
            {
                errors.Add(new SpecError(bad[0], $"must be a finite number > 0, got {values[Array.IndexOf(columns, bad[0])]}", line));
                continue;
            }

            points.Add(new ScalingPoint(values[0], values[1], values[2]));
        }

        if (errors.Count == 0 && points.Count == 0)
        {
            errors.Add(new SpecError("", "has no data points", 2));
        }

        return (points, Attach(errors, path));
    }

    private static List<SpecError> Attach(List<SpecError> errors, string path) => errors.Select(e => e with { File = path }).ToList();
}
