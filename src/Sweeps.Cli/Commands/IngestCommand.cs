using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Spectre.Console;
using Sweeps.Cli.Cluster;
using Sweeps.Cli.Commands.Cluster;
using Sweeps.Cli.Embedded;
using Sweeps.Cli.Output;
using Sweeps.Cli.Results;
using Sweeps.Contracts;
using Sweeps.Core.Curves;
using Sweeps.Core.Specs;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands;

/// <summary>
/// <c>sweeps ingest MANIFEST.yaml [--sweep NAME] [--law L …] [--columns MAP] [--data-dir DIR | --cluster … | --gateway …] [--json]</c>:
/// makes a sweep whose runs are a manifest's curves, trained elsewhere (status <c>ingested</c>), and
/// fits its laws, so fits, dashboards and exports work on real runs as on simulated ones. Ingesting
/// the same curves again finds the same sweep (its id hashes the spec and the curve data).
/// </summary>
internal static class IngestCommand
{
    /// <summary>Curves handed to their run grains at once.</summary>
    private const int Parallel = 16;

    /// <summary>How long a sweep may wait for its runs' reports before they are all sent again.</summary>
    private static readonly TimeSpan ReportAgainAfter = TimeSpan.FromSeconds(10);

    public static Command Create()
    {
        var manifest = new Argument<string>("manifest") { Description = "A curve manifest (YAML): each curve's CSV and the schedule that produced it" };
        var name = new Option<string?>("--sweep") { Description = "The sweep's name (default: the manifest's file name)" };
        var laws = new Option<string[]>("--law") { Description = $"Laws to fit ({string.Join(", ", KnownLaws.All)}); default: {string.Join(", ", IngestedSweep.DefaultLaws)}", AllowMultipleArgumentsPerToken = true };
        var columns = new Option<string?>("--columns") { Description = "Where step, loss and LR are in the CSVs, e.g. step=_step,loss=train/loss,lr=train/lr (or wandb for step=_step)" };
        var json = new Option<bool>("--json") { Description = "Print the sweep's report (as sweeps run --json) on stdout" };
        var where = new ClusterOptions();
        var command = new Command("ingest", "Make a sweep of curves trained elsewhere and fit its laws (default: in an embedded store, sweeps-data/NAME)")
        {
            manifest, name, laws, columns, json,
        };
        where.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, parse.GetValue(manifest)!, parse.GetValue(name), parse.GetValue(laws), parse.GetValue(columns), parse.GetValue(json), where, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        ParseResult parse, string manifestPath, string? sweepName, string[]? laws, string? columnText, bool json, ClusterOptions where, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        CurveColumns? columns = null;
        if (columnText is not null)
        {
            (columns, var problem) = CurveColumns.Parse(columnText);
            if (columns is null)
            {
                Console.Error.WriteLine($"--columns: {problem}");
                return ExitCodes.BadInput;
            }
        }

        var lawList = laws is { Length: > 0 } ? laws.Distinct().ToList() : [.. IngestedSweep.DefaultLaws];
        if (lawList.FirstOrDefault(l => !KnownLaws.All.Contains(l)) is { } unknown)
        {
            Console.Error.WriteLine($"--law: unknown law '{unknown}'; known: {string.Join(", ", KnownLaws.All)}");
            return ExitCodes.BadInput;
        }

        if (Law.ManifestCurves.Load([manifestPath], Console.Error, columns) is not { } curves)
        {
            return ExitCodes.BadInput;
        }

        var (spec, problems) = IngestedSweep.Spec(sweepName ?? Path.GetFileNameWithoutExtension(manifestPath), curves, lawList);
        if (spec is null)
        {
            foreach (var problem in problems)
            {
                Console.Error.WriteLine($"{manifestPath}: {problem}");
            }

            return ExitCodes.BadInput;
        }

        var id = SweepIds.For(spec, ContentOf(curves));
        var (connection, exitCode, dataDirectory) = await ConnectAsync(parse, where, spec.Name, cancellationToken);
        if (connection is null)
        {
            return exitCode;
        }

        await using var _ = connection;
        var sweep = connection.Client.GetGrain<ISweepGrain>(id);
        var started = await sweep.Start(spec);
        if (started.Finished > 0)
        {
            await Console.Error.WriteLineAsync($"[sweeps] {id} already holds {started.Finished} of {started.TotalRuns} curves");
        }

        await IngestAsync(connection.Client, id, curves, cancellationToken);
        var status = await WaitForFitsAsync(connection.Client, sweep, id, curves, cancellationToken);
        await Console.Error.WriteLineAsync($"[sweeps] ingested {status.TotalRuns} curves into {id} ({clock.Elapsed.TotalSeconds:F1} s)");
        var results = new SweepResults(connection.Client, id, spec);
        if (dataDirectory is not null)
        {
            await ResultFiles.WriteAllAsync(dataDirectory, results, status.Fits, cancellationToken);
        }

        if (json)
        {
            Console.WriteLine(ConsoleJson.Serialize(SweepReport.From(status, dataDirectory, clock.Elapsed.TotalSeconds)));
        }
        else if (dataDirectory is not null)
        {
            var (best, _, _) = await BestRuns.ScanAsync(results.FinishedAsync(), results.Grid, maxShown: 0);
            SummaryView.Write(AnsiConsole.Console, status, results.Grid, best, [], [], dataDirectory);
        }
        else
        {
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(status.Name)}[/] ({Markup.Escape(id)}): {status.TotalRuns} curves ingested");
            SummaryView.WriteFits(AnsiConsole.Console, status.Fits);
            Console.WriteLine(id);
        }

        return ExitCodes.Success;
    }

    /// <summary>The cluster the options name, or else the data directory (given, or sweeps-data/NAME), created if need be.</summary>
    private static async Task<(ClusterClient? Connection, int ExitCode, string? DataDirectory)> ConnectAsync(
        ParseResult parse, ClusterOptions where, string name, CancellationToken cancellationToken)
    {
        if (parse.GetValue(where.Cluster) is not null || parse.GetValue(where.Gateway) is not null)
        {
            var (connection, exitCode) = await where.ConnectAsync(parse, cancellationToken);
            return (connection, exitCode, null);
        }

        var directory = Path.GetFullPath(parse.GetValue(where.DataDirectory) ?? Path.Combine("sweeps-data", name));
        Directory.CreateDirectory(directory);
        var embedded = await ClusterClient.ConnectAsync(new ClusterAddress(null, null, "embedded", directory), cancellationToken);
        return (embedded, ExitCodes.Failure, directory);
    }

    /// <summary>Hands each curve to its run grain, which stores it before answering and reports it to the sweep.</summary>
    private static async Task IngestAsync(IGrainFactory grains, string id, IReadOnlyList<ManifestCurve> curves, CancellationToken cancellationToken)
    {
        await System.Threading.Tasks.Parallel.ForAsync(0, curves.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = cancellationToken }, async (index, _) =>
        {
            var curve = curves[index].Curve;
            var result = new RunResult(id, index, RunStatus.Ingested, curve.FinalLoss, curve, Error: null, KernelSeconds: 0);
            await grains.GetGrain<IRunGrain>(RunKeys.Of(id, Core.Grid.RunDefinition.IdOf(index))).Ingest(result);
        });
    }

    /// <summary>
    /// Waits for the sweep to record every curve and fit its laws. A report that went astray (a silo
    /// restarting) is sent again: the run grains hold the curves, and the sweep drops a second copy.
    /// </summary>
    private static async Task<SweepStatus> WaitForFitsAsync(
        IGrainFactory grains, ISweepGrain sweep, string id, IReadOnlyList<ManifestCurve> curves, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var status = await sweep.GetStatus();
            if (status.IsCompleted)
            {
                return status;
            }

            if (waited.Elapsed > ReportAgainAfter && status.Finished < status.TotalRuns)
            {
                await IngestAsync(grains, id, curves, cancellationToken);
                waited.Restart();
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>A hash of the curves' data, for the sweep's id: the same manifest over curves that grew is another sweep.</summary>
    private static string ContentOf(IReadOnlyList<ManifestCurve> curves)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var curve in curves)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(curve.Name));
            hash.AppendData(MemoryMarshal.AsBytes(curve.Curve.Steps.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(curve.Curve.Loss.AsSpan()));
            hash.AppendData(MemoryMarshal.AsBytes(curve.Curve.Lr.AsSpan()));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
