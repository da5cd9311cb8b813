using System.CommandLine;
using System.Globalization;
using Sweeps.Core.Schedules;
using Sweeps.Core.Specs;
using Sweeps.Kernels;

namespace Sweeps.Cli.Commands.Train;

/// <summary>
/// <c>sweeps train bigram</c>: trains the bigram language model for real (sampled mini-batches,
/// AdamW or SGD; the <c>bigram-lm</c> kernel) and reports as a training process must under the
/// command protocol: a JSON line <c>{"step", "loss", "lr"}</c> per curve point on stdout, as it
/// trains; what else it says goes to stderr. The LR schedule is the exact per-step file a sweep
/// writes (<c>--schedule-file</c>), or built from <c>--lr</c>, <c>--warmup</c> and <c>--schedule</c>.
/// </summary>
internal static class TrainBigramCommand
{
    public static Command Create()
    {
        var lr = new Option<double>("--lr") { Description = "Peak learning rate", DefaultValueFactory = _ => 0.1 };
        var warmup = new Option<int>("--warmup") { Description = "Warmup steps (linear)", DefaultValueFactory = _ => 0 };
        var steps = new Option<int>("--steps") { Description = "Training steps", DefaultValueFactory = _ => 1000 };
        var schedule = new Option<string>("--schedule") { Description = "Schedule after warmup: constant, cosine, linear, wsd", DefaultValueFactory = _ => "cosine" };
        var scheduleFile = new Option<string?>("--schedule-file") { Description = "CSV step,lr with the LR of every step (overrides --lr, --warmup, --schedule)" };
        var dim = new Option<int>("--dim") { Description = "Cities of the language: the model's rows", DefaultValueFactory = _ => 64 };
        var names = new Option<int>("--names") { Description = "Names per city", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch-size") { Description = "Samples per step", DefaultValueFactory = _ => 32 };
        var optimizer = new Option<string>("--optimizer") { Description = "adamw or sgd", DefaultValueFactory = _ => "adamw" };
        var seed = new Option<int>("--seed") { Description = "Seed of the sampled batches", DefaultValueFactory = _ => 0 };
        var points = new Option<int>("--curve-points") { Description = "Loss reports over the run (at least)", DefaultValueFactory = _ => 200 };
        var bigram = new Command("bigram", "Train the bigram language model for real, printing {\"step\", \"loss\", \"lr\"} JSON lines")
        {
            lr, warmup, steps, schedule, scheduleFile, dim, names, batch, optimizer, seed, points,
        };
        bigram.SetAction((parse, cancellationToken) =>
        {
            var learningRates = parse.GetValue(scheduleFile) is { } file
                ? ReadSchedule(file)
                : Build(parse.GetValue(schedule)!, parse.GetValue(lr), parse.GetValue(warmup), parse.GetValue(steps));
            if (learningRates is null)
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            var adam = parse.GetValue(optimizer) switch { "adamw" => 1.0, "sgd" => 0.0, _ => double.NaN };
            var kernel = KernelCatalog.Default.Get("bigram-lm");
            var options = new Dictionary<string, double> { ["names"] = parse.GetValue(names), ["batch_size"] = parse.GetValue(batch), ["adam"] = adam };
            var problems = options.Select(o => kernel.Info.Option(o.Key)!.Check(o.Value) is { } p ? $"--{o.Key.Replace('_', '-')}: {p}" : null)
                .Append(kernel.Info.CheckModelSize(parse.GetValue(dim)) is { } d ? $"--dim: {d}" : null)
                .Append(double.IsNaN(adam) ? "--optimizer: adamw or sgd" : null)
                .OfType<string>().ToList();
            if (problems.Count > 0)
            {
                problems.ForEach(Console.Error.WriteLine);
                return Task.FromResult(ExitCodes.BadInput);
            }

            var language = BigramLanguage.Create(parse.GetValue(dim), parse.GetValue(names), 0.5, 0);
            Console.Error.WriteLine($"bigram: {parse.GetValue(dim)} cities × {parse.GetValue(names)} names, {learningRates.Length} steps; "
                + $"the loss floor (mean conditional entropy) is {language.LossFloor.ToString("G6", CultureInfo.InvariantCulture)}");
            var run = new KernelRun(learningRates, parse.GetValue(dim), parse.GetValue(seed), options, parse.GetValue(points)) { Observer = new JsonLines() };
            var result = kernel.Run(run, cancellationToken);
            if (result.Outcome == RunOutcome.Diverged)
            {
                Console.WriteLine("{\"event\": \"diverged\"}");
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return new Command("train", "Train a model for real, speaking the command-run protocol") { bigram };
    }

    /// <summary>The protocol's lines, written as the kernel records each point.</summary>
    private sealed class JsonLines : ICurveObserver
    {
        public void Recorded(int step, double lr, double loss)
        {
            var lossText = double.IsFinite(loss) ? loss.ToString("R", CultureInfo.InvariantCulture) : "\"NaN\"";
            Console.Out.WriteLine($"{{\"step\": {step}, \"loss\": {lossText}, \"lr\": {lr.ToString("R", CultureInfo.InvariantCulture)}}}");
            Console.Out.Flush();
        }
    }

    private static double[]? Build(string kind, double peak, int warmup, int steps)
    {
        if (!SweepSpecParser.BuiltInSchedules.TryGetValue(kind, out var template))
        {
            Console.Error.WriteLine($"--schedule: one of {string.Join(", ", SweepSpecParser.BuiltInSchedules.Keys)}, got '{kind}'");
            return null;
        }

        var spec = template with { PeakLr = peak, WarmupSteps = warmup, TotalSteps = steps };
        if (ScheduleValidator.Validate(spec) is { Count: > 0 } errors)
        {
            foreach (var error in errors)
            {
                Console.Error.WriteLine($"schedule: {error}");
            }

            return null;
        }

        return Schedule.Evaluate(spec);
    }

    /// <summary>The file a sweep writes for a command run: a header <c>step,lr</c>, then a row per step in order.</summary>
    private static double[]? ReadSchedule(string path)
    {
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"--schedule-file: no file '{path}'");
            return null;
        }

        var rates = new List<double>();
        foreach (var (line, number) in File.ReadLines(path).Skip(1).Select((l, i) => (l, i + 2)))
        {
            var cells = line.Split(',');
            if (cells.Length < 2 || !double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || !(rate >= 0))
            {
                Console.Error.WriteLine($"--schedule-file {path}:{number}: expected step,lr with lr ≥ 0, got '{line}'");
                return null;
            }

            rates.Add(rate);
        }

        if (rates.Count == 0)
        {
            Console.Error.WriteLine($"--schedule-file {path}: no steps");
            return null;
        }

        return [.. rates];
    }
}
