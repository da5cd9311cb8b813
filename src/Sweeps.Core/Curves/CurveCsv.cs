using Sweeps.Core.Specs;

namespace Sweeps.Core.Curves;

/// <summary>
/// Reads a <c>step,lr,loss</c> curve CSV (extra columns kept). Errors name the column and line:
/// missing columns, non-increasing steps, NaN or non-positive loss, invalid LR. Points at or
/// beyond the schedule's <c>total_steps</c> are dropped with a warning naming their line.
/// </summary>
public static class CurveCsv
{
    public static readonly string[] RequiredColumns = ["step", "lr", "loss"];

    /// <param name="columns">
    /// Where step, loss and LR are (null: the standard <c>step,lr,loss</c>, every column a number). A
    /// mapped file is an exported log, read leniently: rows without a loss are skipped, an LR that is
    /// missing or empty is NaN (the manifest fills it from the schedule), other columns may hold anything.
    /// </param>
    public static CurveReadResult Read(string path, int? totalSteps = null, CurveColumns? columns = null)
    {
        var errors = new List<SpecError>();
        var warnings = new List<SpecError>();
        var mapped = columns is { IsStandard: false };
        columns ??= CurveColumns.Standard;
        var table = CsvTable.Read(path, errors, mapped ? new CsvReading([columns.Step, columns.Loss], SkipRowsWithout: columns.Loss) : null);
        if (table is null)
        {
            return new CurveReadResult(null, errors, warnings);
        }

        string[] required = mapped ? [columns.Step, columns.Loss] : RequiredColumns;
        var missing = required.Where(c => table.Column(c) < 0).ToArray();
        if (missing.Length > 0)
        {
            var wanted = mapped ? $"the columns mapped to step and loss ({columns.Step}, {columns.Loss})" : "step,lr,loss";
            errors.Add(new SpecError(string.Join(",", missing),
                $"missing column{(missing.Length > 1 ? "s" : "")}: the header must contain {wanted} ({table.FoundHeader})", 1));
            return new CurveReadResult(null, errors, warnings);
        }

        if (table.SkippedRows > 0)
        {
            warnings.Add(new SpecError(columns.Loss, $"{table.SkippedRows} rows have no {columns.Loss} (other metrics logged alone) and are skipped"));
        }

        int stepColumn = table.Column(columns.Step), lrColumn = table.Column(columns.Lr), lossColumn = table.Column(columns.Loss);
        var extraColumns = Enumerable.Range(0, table.Header.Length)
            .Where(c => c != stepColumn && c != lrColumn && c != lossColumn).ToArray();
        var steps = new List<int>();
        var lr = new List<double>();
        var loss = new List<double>();
        var extra = extraColumns.ToDictionary(c => table.Header[c], _ => new List<double>());
        var dropped = 0;
        foreach (var (line, values) in table.Rows)
        {
            double step = values[stepColumn], rate = lrColumn < 0 ? double.NaN : values[lrColumn], value = values[lossColumn];
            if (!(step >= 0) || step != Math.Round(step))
            {
                errors.Add(new SpecError(columns.Step, $"must be a whole number ≥ 0, got {step}", line));
                continue;
            }

            if (steps.Count > 0 && step <= steps[^1])
            {
                errors.Add(new SpecError(columns.Step, $"{step} does not increase (previous step {steps[^1]})", line));
                continue;
            }

            if (!double.IsFinite(value) || value <= 0)
            {
                errors.Add(new SpecError(columns.Loss, $"must be a finite number > 0, got {value}", line));
                continue;
            }

            if (!double.IsFinite(rate) && !(mapped && double.IsNaN(rate)) || rate < 0)
            {
                errors.Add(new SpecError(columns.Lr, $"must be a finite number ≥ 0, got {rate}", line));
                continue;
            }

            if (totalSteps is { } total && step >= total)
            {
                if (dropped++ == 0)
                {
                    warnings.Add(new SpecError(columns.Step, $"{step} is at or beyond the schedule's total_steps {total}; this point and any later ones are ignored", line));
                }

                continue;
            }

            steps.Add((int)step);
            lr.Add(rate);
            loss.Add(value);
            foreach (var c in extraColumns)
            {
                extra[table.Header[c]].Add(values[c]);
            }
        }

        if (errors.Count == 0 && steps.Count == 0)
        {
            errors.Add(new SpecError("", "has no data points", 2));
        }

        var curve = errors.Count > 0 ? null : new Curve([.. steps], [.. lr], [.. loss])
        {
            Extra = extra.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()),
        };
        return new CurveReadResult(curve, errors, warnings);
    }
}
