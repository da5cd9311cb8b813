using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Laws;

namespace Sweeps.Cli.Output;

/// <summary>The human summary of a finished sweep: counts, best run per model size, optimal LRs, fitted laws.</summary>
internal static class SummaryView
{
    /// <summary>Failed runs whose error the summary shows (and stopped runs whose reason it shows); the rest are counted.</summary>
    public const int FailuresShown = 10;

    public static void Write(IAnsiConsole console, SweepStatus status, SweepGrid grid, BestRuns best, IReadOnlyList<Silo.Reports.FailedRun> failures,
        IReadOnlyList<Silo.Reports.StoppedRun> stops, string dataDirectory)
    {
        var counts = string.Join(", ", status.Counts.Where(c => c.Value > 0).Select(c => $"{c.Value} {c.Key.ToString().ToLowerInvariant()}"));
        console.MarkupLine($"[bold]{Markup.Escape(status.Name)}[/] ({Markup.Escape(status.Id)}): {status.State.ToString().ToLowerInvariant()}, {status.TotalRuns} runs: {Markup.Escape(counts)}");
        if (status.ResumedRuns > 0)
        {
            console.MarkupLine($"resumed: {status.ResumedRuns} runs were already finished and were not run again");
        }

        if (status.AddedRuns > 0)
        {
            console.MarkupLine($"refined: {status.AddedRuns} runs were added to the grid where the optimal peak LR was not resolved (adaptive.refine)");
        }

        if (status.ReusedRuns > 0)
        {
            console.MarkupLine($"reused: {status.ReusedRuns} runs were finished by another sweep in this store and were read, not run");
        }

        if (status.TotalSteps > status.SimulatedSteps)
        {
            var shared = 1 - (double)status.SimulatedSteps / status.TotalSteps;
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"prefix sharing: simulated {status.SimulatedSteps:N0} of {status.TotalSteps:N0} steps; {shared:P1} continued from other runs' checkpoints"));
        }

        if (grid.Spec.Stopping is { } stopping)
        {
            WriteStopping(console, status, grid, stopping);
            if (stops.Count > 0)
            {
                console.Write(StopsTable(stops, status.Counts.GetValueOrDefault(RunStatus.Stopped)));
            }
        }

        console.Write(BestRunsTable(best.PerModelSize));
        if (failures.Count > 0)
        {
            console.Write(FailuresTable(failures, status.Counts.GetValueOrDefault(RunStatus.Failed)));
        }

        WriteFits(console, status.Fits);
        console.MarkupLine($"results: {Markup.Escape(Path.Combine(dataDirectory, "runs.csv"))}, {ResultFiles.CurvesWritten(grid)}, fit.json");
    }

    /// <summary>Each law over the whole sweep, then each curve law's per-group fits as a table.</summary>
    public static void WriteFits(IAnsiConsole console, IReadOnlyList<FitReport> fits)
    {
        foreach (var renderable in Fits(fits))
        {
            console.Write(renderable);
        }
    }

    /// <summary>What <see cref="WriteFits"/> writes, as renderables (a live view draws them in place).</summary>
    public static IEnumerable<IRenderable> Fits(IReadOnlyList<FitReport> fits) =>
        fits.Where(f => f.Scope.Count == 0).SelectMany(Fit)
            .Concat(fits.Where(f => f.Scope.Count > 0).GroupBy(f => f.Law).Select(law => ScopedFits(law.Key, law.ToList())));

    public static IRenderable BestRunsTable(IEnumerable<(RunDefinition Run, double FinalLoss)> best)
    {
        var rows = best.ToList();
        if (rows.Count == 0)
        {
            return new Markup("[yellow]no run succeeded[/]\n");
        }

        var table = new Table().Title("best run per model size")
            .AddColumns("model size", "final loss", "peak LR", "warmup", "schedule", "total steps", "run");
        foreach (var (run, loss) in rows)
        {
            table.AddRow(G(run.ModelSize), G(loss), G(run.PeakLr), run.WarmupSteps.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(run.ScheduleName), run.TotalSteps.ToString(CultureInfo.InvariantCulture), run.RunId);
        }

        return table;
    }

    public static IRenderable StopsTable(IReadOnlyList<Silo.Reports.StoppedRun> stops, long stoppedCount)
    {
        var title = stoppedCount > stops.Count ? $"stopped runs (the first {stops.Count} of {stoppedCount})" : "stopped runs";
        var table = new Table().Title(title).AddColumns("run", "step", "why");
        foreach (var stop in stops)
        {
            table.AddRow(stop.RunId, stop.Stop?.Step.ToString(CultureInfo.InvariantCulture) ?? "", Markup.Escape(stop.Stop is { } s ? $"rule {s.Rule}: {s.Reason}" : "(no result stored)"));
        }

        return table;
    }

    public static IRenderable FailuresTable(IReadOnlyList<Silo.Reports.FailedRun> failures, long failedCount)
    {
        var title = failedCount > failures.Count ? $"failed runs (the first {failures.Count} of {failedCount})" : "failed runs";
        var table = new Table().Title(title).AddColumns("run", "error", "last output");
        foreach (var failure in failures)
        {
            table.AddRow(failure.RunId, Markup.Escape(failure.Error ?? ""), Markup.Escape(string.Join("\n", failure.LogTail.TakeLast(3))));
        }

        return table;
    }

    /// <summary>How many runs the rule stopped, and the steps run against those of the full grid.</summary>
    private static void WriteStopping(IAnsiConsole console, SweepStatus status, SweepGrid grid, Core.Specs.StoppingSettings stopping)
    {
        var stopped = status.Counts.GetValueOrDefault(RunStatus.Stopped);
        var fullGrid = grid.FullGridSteps;
        var rule = stopping.Rule.ToString().ToLowerInvariant() + (stopping.FitFile is { } fit ? $", {stopping.Law} from {Markup.Escape(fit)}" : "");
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"stopped early (rule {rule}): {stopped} of {status.TotalRuns} runs; steps run {status.TotalSteps:N0} of the full grid's {fullGrid:N0} ({(double)status.TotalSteps / fullGrid:P1})"));
    }

    private static IEnumerable<IRenderable> Fit(FitReport fit)
    {
        if (fit.OptimalLr.Count > 0)
        {
            var table = new Table().Title("optimal peak LR per (model size, horizon)")
                .AddColumns("model size", "total steps", "η* (interpolated)", "loss at η*", "best grid LR", "schedule", "warmup");
            foreach (var point in fit.OptimalLr)
            {
                table.AddRow(G(point.ModelSize), point.TotalSteps.ToString(CultureInfo.InvariantCulture),
                    G(point.PeakLr) + (point.AtGridEdge ? " (grid edge)" : ""), G(point.Loss), G(point.GridPeakLr),
                    Markup.Escape(point.Schedule), point.WarmupSteps.ToString(CultureInfo.InvariantCulture));
            }

            yield return table;
        }

        if (fit.Parameters.Count > 0)
        {
            var coefficients = string.Join(", ", fit.Parameters.Select(p =>
                $"{p.Key} = {G(p.Value)}" + (fit.Intervals.TryGetValue(p.Key, out var ci) ? $" [{G(ci[0])}, {G(ci[1])}]" : "")));
            var metrics = fit.Metrics is { } m ? $"; R² {m.R2:F4}, PredE {m.PredE:P2}, WorstE {m.WorstE:P2} on {fit.Points} points" : "";
            yield return new Markup($"[bold]{Markup.Escape(fit.Law)}[/]: {Markup.Escape(coefficients)}{Markup.Escape(metrics)}\n");
        }

        foreach (var warning in fit.Warnings)
        {
            yield return new Markup($"[yellow]{Markup.Escape(fit.Law)}: {Markup.Escape(warning)}[/]\n");
        }
    }

    /// <summary>Curve laws are fitted once per (model size, peak LR, warmup): one line each, details in fit.json.</summary>
    private static Markup ScopedFits(string law, List<FitReport> fits)
    {
        var fitted = fits.Where(f => f.Metrics is not null).ToList();
        var quality = fitted.Count == 0
            ? "none could be fitted"
            : $"R² mean {fitted.Average(f => f.Metrics!.R2):F4}, worst {fitted.Min(f => f.Metrics!.R2):F4}; PredE mean {fitted.Average(f => f.Metrics!.PredE):P2}";
        return new Markup($"[bold]{Markup.Escape(law)}[/]: {fitted.Count} of {fits.Count} fits (one per model size × peak LR × warmup); {Markup.Escape(quality)}; coefficients in fit.json\n");
    }

    private static string G(double value) => value.ToString("G5", CultureInfo.InvariantCulture);
}
