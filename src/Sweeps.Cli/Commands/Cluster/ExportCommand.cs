using System.CommandLine;
using Sweeps.Silo.Reports;
using Sweeps.Cli.Output;
using Sweeps.Cli.Results;

namespace Sweeps.Cli.Commands.Cluster;

/// <summary>
/// <c>export ID --format csv|json|parquet --out DIR</c>: a sweep's runs, curves and fits as files,
/// streamed out of the cluster (a sweep still running exports what has finished; the rest of its
/// runs are listed as pending).
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var format = new Option<ExportFormat>("--format") { Description = "csv (runs.csv, curves/RUN.csv, fit.json), json (sweep.json) or parquet (runs.parquet, curves.parquet, fit.json)", Required = true };
        var output = new Option<string>("--out") { Description = "The directory to write into (created if needed)", Required = true };
        return SweepCommandBuilder.Create("export", "Write a sweep's runs, curves and fits to files", [format, output], async (sweep, status, parse, client, cancellationToken) =>
        {
            var directory = Path.GetFullPath(parse.GetValue(output)!);
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"--out: cannot create {directory}: {e.Message}");
                return ExitCodes.BadInput;
            }

            var results = new SweepResults(client, status.Id, (await sweep.GetSpec())!);
            switch (parse.GetValue(format))
            {
                case ExportFormat.Csv:
                    await ResultFiles.WriteRunsAsync(directory, results, cancellationToken);
                    await ResultFiles.WriteCurvesAsync(directory, results, cancellationToken);
                    ResultFiles.WriteFits(directory, status.Fits);
                    break;
                case ExportFormat.Json:
                    await JsonExport.WriteAsync(directory, results, status);
                    break;
                case ExportFormat.Parquet:
                    await ParquetExport.WriteAsync(directory, results);
                    ResultFiles.WriteFits(directory, status.Fits);
                    break;
            }

            Console.Error.WriteLine($"exported {status.Name} ({status.Finished} of {status.TotalRuns} runs finished) to {directory}");
            Console.WriteLine(directory);
            return ExitCodes.Success;
        }, readsOnly: true);
    }
}
