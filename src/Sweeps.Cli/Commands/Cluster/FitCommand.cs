using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Sweeps.Cli.Output;
using Sweeps.Cli.Results;
using Sweeps.Contracts;
using Sweeps.Core.Specs;
using Sweeps.Laws;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands.Cluster;

/// <summary>
/// <c>fit ID [--law L] [--json]</c>: the sweep's fitted laws. A completed sweep shows the fits it
/// made; a law it did not fit, a sweep still running (its finished runs so far) or <c>--refit</c>
/// are fitted here, in this process, from the runs read out of the cluster, so no grain waits on it.
/// </summary>
internal static class FitCommand
{
    /// <summary>Most run curves read for a curve law, as the sweep itself uses.</summary>
    private const int MaxCurves = 20_000;

    public static Command Create()
    {
        var law = new Option<string[]>("--law") { Description = $"Which laws ({string.Join(", ", KnownLaws.All)}); default: the sweep's own", AllowMultipleArgumentsPerToken = true };
        var refit = new Option<bool>("--refit") { Description = "Fit again from the runs even when the sweep has these fits" };
        var json = new Option<bool>("--json") { Description = "Print {\"id\", \"state\", \"finished_runs\", \"refitted\", \"fits\": [...], \"elapsed_seconds\"}" };
        return SweepCommand.Create("fit", "A sweep's fitted laws (fitting here what the sweep has not)", [law, refit, json], async (sweep, status, parse, client, _) =>
        {
            var clock = Stopwatch.StartNew();
            var spec = (await sweep.GetSpec())!;
            var laws = parse.GetValue(law) is { Length: > 0 } asked ? asked.Distinct().ToList() : spec.Laws.ToList();
            if (laws.FirstOrDefault(l => !KnownLaws.All.Contains(l)) is { } unknown)
            {
                Console.Error.WriteLine($"--law: unknown law '{unknown}'; known: {string.Join(", ", KnownLaws.All)}");
                return ExitCodes.BadInput;
            }

            var stored = status.Fits.Where(f => laws.Contains(f.Law)).ToList();
            var fitHere = parse.GetValue(refit) || !status.IsDone || laws.Any(l => stored.All(f => f.Law != l));
            var fits = stored;
            if (fitHere)
            {
                var results = new SweepResults(client, status.Id, spec);
                var (points, curves) = await results.FitInputsAsync(laws.Any(KnownLaws.CurveLaws.Contains), MaxCurves);
                fits = [.. SweepLaws.Fit(laws, points, curves, spec.Bootstrap)];
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(ConsoleJson.Serialize(new
                {
                    id = status.Id,
                    state = status.State,
                    finishedRuns = status.Finished,
                    refitted = fitHere,
                    fits,
                    elapsedSeconds = clock.Elapsed.TotalSeconds,
                }));
            }
            else
            {
                var source = fitHere ? $"fitted now on {status.Finished} of {status.TotalRuns} finished runs" : "as fitted by the sweep";
                AnsiConsole.MarkupLine($"[bold]{Markup.Escape(status.Name)}[/] ({Markup.Escape(status.Id)}): {status.State.ToString().ToLowerInvariant()}, {Markup.Escape(source)}");
                SummaryView.WriteFits(AnsiConsole.Console, fits);
            }

            return ExitCodes.Success;
        }, readsOnly: true);
    }
}
