using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Spectre.Console;
using Sweeps.Cli.Embedded;
using Sweeps.Cli.Output;
using Sweeps.Cli.Output.Plots;
using Sweeps.Cli.Results;
using Sweeps.Contracts;
using Sweeps.Core.Specs;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands;

/// <summary>
/// <c>sweeps run SPEC [--data-dir DIR] [--json] [--plots DIR]</c>: runs a sweep on an in-process silo, fits its
/// laws, writes results under the data directory and prints a summary (or one JSON document).
/// Running the same spec against the same data directory again resumes it: finished runs are
/// read back, not run again.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var spec = new Argument<string>("spec") { Description = "The sweep spec (YAML)" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Where state and results go (default: sweeps-data/NAME)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout (progress stays on stderr)" };
        var maxRuns = new Option<long?>("--max-runs") { Description = "Refuse grids larger than this (default: the spec's max_runs, else 1,000,000)" };
        var verbose = new Option<bool>("--verbose") { Description = "Show the silo's informational logs on stderr" };
        var plots = new Option<string?>("--plots") { Description = "Also write PNG plots here: loss curves, heatmap, law fits" };
        var command = new Command("run", "Run a sweep on an embedded silo and fit its laws") { spec, dataDir, json, maxRuns, verbose, plots };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(spec)!, parse.GetValue(dataDir), parse.GetValue(json), parse.GetValue(maxRuns), parse.GetValue(verbose), parse.GetValue(plots), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string specPath, string? dataDirectory, bool json, long? maxRuns, bool verbose, string? plots, CancellationToken cancellationToken)
    {
        var spec = SpecFile.Load(specPath, maxRuns, Console.Error);
        if (spec is null)
        {
            return ExitCodes.BadInput;
        }

        var directory = Path.GetFullPath(dataDirectory ?? Path.Combine("sweeps-data", spec.Name));
        if (File.Exists(directory))
        {
            await Console.Error.WriteLineAsync($"sweeps run: --data-dir {directory} is a file; a data directory must be a directory (created if missing)");
            return ExitCodes.BadInput;
        }

        Directory.CreateDirectory(directory);
        var id = SweepIds.For(spec);
        var clock = Stopwatch.StartNew();
        await using var silo = await EmbeddedSilo.StartAsync(directory, verbose ? LogLevel.Information : LogLevel.Error, cancellationToken);
        var sweep = silo.Grains.GetGrain<ISweepGrain>(id);
        try
        {
            var started = await sweep.Start(spec);
            if (started.Finished > 0 && !json)
            {
                await Console.Error.WriteLineAsync($"[sweeps] resuming {id}: {started.Finished} of {started.TotalRuns} runs already finished");
            }

            var status = await ProgressView.FollowAsync(sweep.GetStatus, cancellationToken);
            var results = await SweepResults.OpenAsync(silo.Grains, id) ?? new SweepResults(silo.Grains, id, spec); // with the runs the sweep added
            await ResultFiles.WriteAllAsync(directory, results, status.Fits, cancellationToken);
            if (plots is not null)
            {
                foreach (var written in await SweepPlots.WriteAsync(results, status, plots))
                {
                    await Console.Error.WriteLineAsync($"[sweeps] wrote {written}");
                }
            }
            if (json)
            {
                Console.WriteLine(ConsoleJson.Serialize(SweepReport.From(status, directory, clock.Elapsed.TotalSeconds)));
            }
            else
            {
                // One streamed pass over the runs: memory does not grow with the sweep.
                var (best, firstFailed, firstStopped) = await BestRuns.ScanAsync(results.FinishedAsync(), results.Grid, SummaryView.FailuresShown);
                var failures = await FailedRun.ReadAsync(silo.Grains, id, results.Grid, firstFailed, SummaryView.FailuresShown);
                var stops = await StoppedRun.ReadAsync(silo.Grains, id, results.Grid, firstStopped, SummaryView.FailuresShown);
                SummaryView.Write(AnsiConsole.Console, status, results.Grid, best, failures, stops, directory);
            }

            // A sweep whose every run failed produced nothing to fit: a script must see it fail.
            var failed = status.Counts.GetValueOrDefault(RunStatus.Failed);
            if (failed > 0 && failed == status.Finished)
            {
                await Console.Error.WriteLineAsync($"sweeps run: all {failed} runs failed; nothing was measured (their reasons are in the summary, and in `sweeps export`)");
                return ExitCodes.Failure;
            }

            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"[sweeps] interrupted; finished runs are saved in {directory}. Run the same command again to resume.");
            await silo.StopQuietlyAsync();
            return ExitCodes.Interrupted;
        }
    }
}
