namespace Sweeps.Cli.Results;

/// <summary>
/// What <c>sweeps export</c> writes: <c>csv</c> the layout of <c>sweeps run</c>'s data directory
/// (runs.csv, curves/RUN.csv, fit.json); <c>json</c> one <c>sweep.json</c>; <c>parquet</c>
/// <c>runs.parquet</c> and <c>curves.parquet</c> (one row per curve point) with <c>fit.json</c>.
/// </summary>
internal enum ExportFormat
{
    Csv,
    Json,
    Parquet,
}
