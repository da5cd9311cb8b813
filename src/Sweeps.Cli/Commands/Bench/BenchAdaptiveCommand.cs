using System.CommandLine;
using System.Globalization;
using Sweeps.Core.Specs;
using Sweeps.Laws.Adaptive;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands.Bench;

/// <summary>
/// <c>sweeps bench adaptive [SPEC…] [--json]</c>: the full grid against law-guided stopping, ASHA and the
/// median rule on the same sweeps (<see cref="AdaptiveCases"/>, or the specs given), each replayed from
/// the full grid's curves (<see cref="AdaptiveReplay"/>): the share of the grid's steps simulated, the
/// largest regret of the best run kept (per model size and horizon, as a fraction of the loss) and the
/// largest shift of the fitted η*(N, T) (as a fraction of the full grid's).
/// JSON: <c>{"cases": [{"name", "runs", "methods": {"full" | "law" | "asha" | "median": {"steps_share", "max_regret", "eta_star_shift", "stopped"}}}], "elapsed_seconds"}</c>.
/// </summary>
internal static class BenchAdaptiveCommand
{
    private sealed record MethodFigures(double StepsShare, double MaxRegret, double EtaStarShift, int Stopped);

    private sealed record CaseFigures(string Name, int Runs, IReadOnlyDictionary<string, MethodFigures> Methods);

    /// <summary>The methods compared, each with the settings it runs under (the law rule's defaults, Optuna's for the pruners).</summary>
    private static readonly (string Name, StoppingSettings? Settings)[] Methods =
    [
        ("full", null),
        ("law", new StoppingSettings { Rule = StoppingRuleKind.Law }),
        ("asha", new StoppingSettings { Rule = StoppingRuleKind.Asha }),
        ("median", new StoppingSettings { Rule = StoppingRuleKind.Median }),
    ];

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout" };
        var specs = new Argument<string[]>("spec") { Description = "Sweep specs to replay (default: the twin at three sizes and bigram-lm training, built in)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("adaptive", "Law-guided stopping against ASHA, the median rule and the full grid, replayed on the same sweeps") { specs, json };
        command.SetAction(parse =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var given = parse.GetValue(specs) ?? [];
            var cases = new List<(string Name, Core.Specs.SweepSpec Spec)>();
            if (given.Length == 0)
            {
                cases.Add(("mpl-surrogate", AdaptiveCases.Parse(AdaptiveCases.MplSurrogate)));
                cases.Add(("bigram-lm", AdaptiveCases.Parse(AdaptiveCases.BigramLm)));
            }

            foreach (var path in given)
            {
                if (SpecFile.Load(path, null, Console.Error) is not { } spec)
                {
                    return ExitCodes.BadInput;
                }

                if (spec.Command is not null || spec.IsIngested)
                {
                    Console.Error.WriteLine($"{path}: bench adaptive simulates every run of the grid in this process; a command or ingested sweep cannot be");
                    return ExitCodes.BadInput;
                }

                cases.Add((spec.Name, spec));
            }

            var figures = new List<CaseFigures>();
            foreach (var (name, spec) in cases)
            {
                Console.Error.WriteLine($"[sweeps] {name}: simulating {new Core.Grid.SweepGrid(spec).Count} runs to the end");
                var runs = AdaptiveCases.Simulate(spec);
                var full = AdaptiveReplay.Run(runs, null, spec.Concurrency);
                var methods = new Dictionary<string, MethodFigures>();
                foreach (var (method, defaults) in Methods)
                {
                    // A spec's own adaptive.stop settings replay its rule; the other rules keep their defaults.
                    var settings = defaults is not null && spec.Stopping is { } own && own.Rule == defaults.Rule ? own : defaults;
                    var outcomes = settings is null ? full : AdaptiveReplay.Run(runs, IStoppingRule.Create(settings), spec.Concurrency);
                    var score = AdaptiveScore.Of(full, outcomes, usePredictions: settings?.Rule == StoppingRuleKind.Law);
                    methods[method] = new MethodFigures(score.StepsShare, score.MaxRegret, score.EtaStarShift, outcomes.Count(o => o.Stopped));
                }

                figures.Add(new CaseFigures(name, runs.Count, methods));
            }

            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine(parse.GetValue(json) ? ConsoleJson.Serialize(new { cases = figures, elapsedSeconds = seconds }) : Render(figures, seconds));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Render(IReadOnlyList<CaseFigures> cases, double seconds)
    {
        var lines = new List<string> { "case            runs  method  stopped  steps   max regret  η* shift" };
        foreach (var c in cases)
        {
            lines.AddRange(c.Methods.Select((m, i) => string.Create(CultureInfo.InvariantCulture,
                $"{(i == 0 ? c.Name : ""),-15} {(i == 0 ? c.Runs.ToString(CultureInfo.InvariantCulture) : ""),4}  {m.Key,-6}  {m.Value.Stopped,7}  {m.Value.StepsShare,6:P1}  {m.Value.MaxRegret,10:P3}  {(double.IsFinite(m.Value.EtaStarShift) ? m.Value.EtaStarShift.ToString("P1", CultureInfo.InvariantCulture) : "n/a"),8}")));
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{seconds:F1} s"));
        return string.Join(Environment.NewLine, lines);
    }
}
