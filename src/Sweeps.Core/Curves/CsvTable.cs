using System.Globalization;
using Sweeps.Core.Specs;

namespace Sweeps.Core.Curves;

/// <summary>
/// A numeric CSV read with its line numbers, so every problem can name the file line.
/// Values are parsed with the invariant culture; empty lines are skipped.
/// </summary>
internal sealed class CsvTable
{
    private CsvTable(string[] header, List<(int Line, double[] Values)> rows)
    {
        Header = header;
        Rows = rows;
    }

    public string[] Header { get; }

    public List<(int Line, double[] Values)> Rows { get; }

    public int Column(string name) => Array.FindIndex(Header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));

    public static CsvTable? Read(string path, List<SpecError> errors)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add(new SpecError("", $"cannot read: {e.Message}"));
            return null;
        }

        if (lines.Length == 0 || string.IsNullOrWhiteSpace(lines[0]))
        {
            errors.Add(new SpecError("", "is empty: expected a header line", 1));
            return null;
        }

        var header = lines[0].Split(',').Select(h => h.Trim()).ToArray();
        var rows = new List<(int, double[])>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var cells = lines[i].Split(',');
            if (cells.Length != header.Length)
            {
                errors.Add(new SpecError("", $"has {cells.Length} fields, the header has {header.Length}", i + 1));
                continue;
            }

            var values = new double[cells.Length];
            var ok = true;
            for (var c = 0; c < cells.Length; c++)
            {
                var cell = cells[c].Trim();
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out values[c]))
                {
                    // "nan" and "inf" parse above; anything else is not a number at all.
                    errors.Add(new SpecError(header[c], $"'{cell}' is not a number", i + 1));
                    ok = false;
                }
            }

            if (ok)
            {
                rows.Add((i + 1, values));
            }
        }

        return new CsvTable(header, rows);
    }
}
