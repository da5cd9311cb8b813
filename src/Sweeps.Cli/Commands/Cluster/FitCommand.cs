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
/// are fitted by the sweep's law-fit grain (<see cref="ILawFitGrain"/>, which keeps each version)
/// on a silo's worker pool, while this command waits for the version it was given.
/// </summary>
internal static class FitCommand
{
    /// <summary>How often the command asks whether its fit is done.</summary>
    private static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(250);

    public static Command Create()
    {
        var law = new Option<string[]>("--law") { Description = $"Which laws ({string.Join(", ", KnownLaws.All)}); default: the sweep's own", AllowMultipleArgumentsPerToken = true };
        var refit = new Option<bool>("--refit") { Description = "Fit again from the runs even when the sweep has these fits" };
        var json = new Option<bool>("--json") { Description = "Print {\"id\", \"state\", \"finished_runs\", \"refitted\", \"fits\": [...], \"elapsed_seconds\"}" };
        return SweepCommandBuilder.Create("fit", "A sweep's fitted laws (fitting now what the sweep has not)", [law, refit, json], async (sweep, status, parse, client, cancellationToken) =>
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
            var fitHere = parse.GetValue(refit) || !status.IsCompleted || laws.Any(l => stored.All(f => f.Law != l));
            var fits = stored;
            if (fitHere)
            {
                if (await FitAsync(client.GetGrain<ILawFitGrain>(status.Id), laws, spec.Bootstrap, cancellationToken) is not { } fitted)
                {
                    Console.Error.WriteLine($"sweeps fit: the fit of {status.Id} was lost (its silo stopped?); run the command again");
                    return ExitCodes.Failure;
                }

                fits = [.. fitted.Reports];
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

    /// <summary>Starts a fit on the law-fit grain and waits for its version (null when it was lost with its silo).</summary>
    private static async Task<FitVersion?> FitAsync(ILawFitGrain lawFit, IReadOnlyList<string> laws, int? bootstrap, CancellationToken cancellationToken)
    {
        var version = await lawFit.Start(laws, bootstrap, reportToSweep: false);
        var clock = Stopwatch.StartNew();
        var told = TimeSpan.Zero;
        while (true)
        {
            var state = await lawFit.GetVersion(version);
            if (state.Version is { } done)
            {
                return done;
            }

            if (!state.Fitting)
            {
                return null;
            }

            if (clock.Elapsed - told > TimeSpan.FromSeconds(10))
            {
                told = clock.Elapsed;
                await Console.Error.WriteLineAsync($"[sweeps] fitting {string.Join(", ", laws)} (version {version}): {clock.Elapsed.TotalSeconds:F0} s");
            }

            await Task.Delay(PollPeriod, cancellationToken);
        }
    }
}
