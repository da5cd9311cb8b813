using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Sweeps.Core.Specs;

namespace Sweeps.Core.Curves;

/// <summary>
/// A numeric CSV read with its line numbers, so every problem can name the file line. Parsed by
/// CsvHelper (quoted fields, as W&amp;B and spreadsheets write them); values with the invariant
/// culture; empty lines are skipped.
/// </summary>
internal sealed partial class CsvTable
{
    /// <summary>Bad rows reported before the reader gives up on a file.</summary>
    public const int MaximumErrors = 10;

    private CsvTable(string[] header, List<(int Line, double[] Values)> rows, int skippedRows)
    {
        Header = header;
        Rows = rows;
        SkippedRows = skippedRows;
    }

    public string[] Header { get; }

    public List<(int Line, double[] Values)> Rows { get; }

    /// <summary>Rows left out because their <see cref="CsvReading.SkipRowsWithout"/> cell was empty.</summary>
    public int SkippedRows { get; }

    public int Column(string name) => Array.FindIndex(Header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));

    public static CsvTable? Read(string path, List<SpecError> errors, CsvReading? reading = null)
    {
        try
        {
            using var reader = new StreamReader(path);
            using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { IgnoreBlankLines = true, BadDataFound = null });
            return Read(parser, errors, reading);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add(new SpecError("", $"cannot read: {e.Message}"));
            return null;
        }
        catch (CsvHelperException e)
        {
            errors.Add(new SpecError("", $"is not a readable CSV: {e.Message.Split('\n')[0]}", e.Context?.Parser?.RawRow));
            return null;
        }
    }

    private static CsvTable? Read(CsvParser parser, List<SpecError> errors, CsvReading? reading)
    {
        if (!parser.Read() || parser.Record is not { Length: > 0 } headerCells || headerCells.All(string.IsNullOrWhiteSpace))
        {
            errors.Add(new SpecError("", "is empty: expected a header line", 1));
            return null;
        }

        var header = headerCells.Select(h => h.Trim()).ToArray();
        var strict = header.Select(h => reading is null || reading.Checked.Contains(h, StringComparer.OrdinalIgnoreCase)).ToArray();
        var skipColumn = reading?.SkipRowsWithout is { } skip ? Array.FindIndex(header, h => string.Equals(h, skip, StringComparison.OrdinalIgnoreCase)) : -1;
        var rows = new List<(int, double[])>();
        var skipped = 0;
        var bad = 0;
        while (parser.Read())
        {
            var line = parser.RawRow;
            var cells = parser.Record!;
            if (cells.Length != header.Length)
            {
                errors.Add(new SpecError("", $"has {cells.Length} fields, the header has {header.Length}", line));
                if (++bad >= MaximumErrors)
                {
                    break;
                }

                continue;
            }

            if (skipColumn >= 0 && string.IsNullOrWhiteSpace(cells[skipColumn]))
            {
                skipped++; // a row that logged other metrics but not this one
                continue;
            }

            var values = new double[cells.Length];
            var ok = true;
            for (var c = 0; c < cells.Length; c++)
            {
                var cell = cells[c].Trim();
                if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out values[c]))
                {
                    continue;
                }

                if (strict[c])
                {
                    // "nan" and "inf" parse above; anything else is not a number at all. The message names
                    // the place, never the cell or a header the caller did not ask for: a file named by
                    // mistake (a key, a password file) must not be printed back; a header that looks like
                    // a column name is named.
                    errors.Add(new SpecError(HeaderName().IsMatch(header[c]) ? header[c] : $"column {c + 1}", "is not a number", line));
                    ok = false;
                }
                else
                {
                    values[c] = double.NaN; // a column nobody asked for, or one logged less often
                }
            }

            if (ok)
            {
                rows.Add((line, values));
            }
            else if (++bad >= MaximumErrors)
            {
                break;
            }
        }

        if (bad >= MaximumErrors)
        {
            errors.Add(new SpecError("", $"stopped after {MaximumErrors} bad rows; is this a loss-curve CSV?", parser.RawRow));
        }

        return new CsvTable(header, rows, skipped);
    }

    /// <summary>
    /// "found a,b,c" for a message about missing columns, when the first line looks like column names
    /// (letters, digits, spaces and _ . / - , up to 64 characters each); otherwise only how many there
    /// are, so that a file named by mistake is not printed back.
    /// </summary>
    public string FoundHeader => Header.All(h => HeaderName().IsMatch(h))
        ? $"found {string.Join(",", Header)}"
        : $"its first line, {Header.Length} field{(Header.Length == 1 ? "" : "s")}, does not look like column names";

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9_./ -]{1,64}$")]
    private static partial System.Text.RegularExpressions.Regex HeaderName();
}
