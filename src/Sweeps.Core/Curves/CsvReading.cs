namespace Sweeps.Core.Curves;

/// <summary>
/// How leniently a <see cref="CsvTable"/> reads an exported log: only the <see cref="Checked"/>
/// columns must hold numbers (others read NaN where they do not), and rows whose
/// <see cref="SkipRowsWithout"/> cell is empty are left out (W&amp;B writes a row per logging call).
/// </summary>
internal sealed record CsvReading(IReadOnlyCollection<string> Checked, string? SkipRowsWithout);
