using System.Diagnostics;
using Sweeps.Core.Curves;
using Sweeps.Laws;

namespace Sweeps.Cli.Commands.Law;

/// <summary><c>sweeps law fit chinchilla --points F.csv</c>: <c>L(N, D) = E + A/N^α + B/D^β</c> on final losses.</summary>
internal static class ChinchillaFit
{
    public static int Run(string? pointsPath, string[] curves, bool json, string? output, int resamples)
    {
        var clock = Stopwatch.StartNew();
        if (pointsPath is null || curves.Length > 0)
        {
            Console.Error.WriteLine("sweeps law fit chinchilla: give --points FILE.csv (columns params,tokens,loss), and no --curves");
            return ExitCodes.BadInput;
        }

        var (points, errors) = ScalingPointsCsv.Read(pointsPath);
        foreach (var error in errors)
        {
            Console.Error.WriteLine(error.Format());
        }

        if (errors.Count > 0)
        {
            return ExitCodes.BadInput;
        }

        var observations = points.Select(p => new Chinchilla.Observation(p.Parameters, p.Tokens, p.Loss)).ToList();
        var report = Chinchilla.Fit(observations);
        if (report.Parameters.Count == 0)
        {
            Console.Error.WriteLine($"sweeps law fit chinchilla: {string.Join("; ", report.Warnings)}");
            return ExitCodes.BadInput;
        }

        var metrics = report.Metrics!;
        var intervals = resamples > 0 ? Bootstrap.Chinchilla(observations, report.Parameters, resamples) : Bootstrap.Result.None;
        var result = new LawFitOutput(Chinchilla.LawName, report.Parameters, report.Objective, report.Iterations, report.Converged,
            new Dictionary<string, FitMetrics> { ["points"] = metrics },
            new Dictionary<string, FitMetrics>(),
            new Dictionary<string, FitMetrics?> { ["train"] = metrics, ["test"] = null },
            [.. report.Warnings, .. LawFitOutput.ConvergenceWarnings(report.Converged), .. intervals.Warnings],
            clock.Elapsed.TotalSeconds)
        {
            Intervals = intervals.Intervals,
            Bootstrap = resamples,
        };
        result = result with { ElapsedSeconds = clock.Elapsed.TotalSeconds };
        return LawFitCommand.Print(result, json, output);
    }
}
