using Sweeps.Core.Specs;

namespace Sweeps.Core.Curves;

/// <summary>
/// Reads a table schedule's CSV: an <c>lr</c> column with one row per step (a <c>step</c> column,
/// when present, must count 0, 1, 2, ...), as written by schedule optimisation.
/// </summary>
public static class LrTable
{
    public static (double[] Values, IReadOnlyList<SpecError> Errors) Read(string path)
    {
        var errors = new List<SpecError>();
        var table = CsvTable.Read(path, errors);
        if (table is null)
        {
            return ([], errors);
        }

        int lrColumn = table.Column("lr"), stepColumn = table.Column("step");
        if (lrColumn < 0)
        {
            errors.Add(new SpecError("lr", "missing column: the header must contain lr", 1));
            return ([], errors);
        }

        var values = new List<double>();
        foreach (var (line, row) in table.Rows)
        {
            if (stepColumn >= 0 && row[stepColumn] != values.Count)
            {
                errors.Add(new SpecError("step", $"expected step {values.Count}, got {row[stepColumn]}: one row per step, in order", line));
                break;
            }

            values.Add(row[lrColumn]);
        }

        return ([.. values], errors);
    }
}
