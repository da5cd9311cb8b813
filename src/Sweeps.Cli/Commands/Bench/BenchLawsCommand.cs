using System.CommandLine;
using Sweeps.Cli.Commands.Law;
using Sweeps.Cli.Output;
using Sweeps.Core.Curves;
using Sweeps.Laws;
using Sweeps.Laws.Curves;
using Sweeps.Laws.ScheduleSearch;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands.Bench;

/// <summary>
/// <c>sweeps bench laws [--curves M.yaml] [--adam-steps N] [--json]</c>: the law engine's speed and
/// accuracy on the 25M curves (issue #3's targets), each against a baseline run in this process —
/// the published 25M parameters for the fit's accuracy, the naive O(T·K) sum for evaluation, the
/// published Adam optimiser for schedules, the whole 4,500-start grid's cost for Chinchilla — and
/// beside the published implementation's wall-clock figures (69 s to fit, 27.5 s to optimise).
/// </summary>
internal static class BenchLawsCommand
{
    private static readonly string[] PaperTrainSplit = ["cosine_24000", "constant_24000", "wsdcon_9"];

    public static Command Create()
    {
        var curves = new Option<string?>("--curves") { Description = "The 25M curve manifest (default: shared/data/mpl-25m/curves.yaml found above the working directory)" };
        var adamSteps = new Option<int>("--adam-steps") { Description = "Steps of the published Adam schedule optimiser run as the baseline (the paper's 10,000)", DefaultValueFactory = _ => 10_000 };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout" };
        var command = new Command("laws", "Fit, evaluate and optimise schedules on the 25M curves, against in-process baselines") { curves, adamSteps, json };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(curves) ?? FindCurves();
            if (path is null)
            {
                Console.Error.WriteLine("--curves: shared/data/mpl-25m/curves.yaml not found above the working directory; pass its path");
                return ExitCodes.BadInput;
            }

            if (parse.GetValue(adamSteps) is < 1 or > 1_000_000)
            {
                Console.Error.WriteLine($"--adam-steps: must be in [1, 1000000], got {parse.GetValue(adamSteps)}");
                return ExitCodes.BadInput;
            }

            var loaded = ManifestCurves.Load([path], Console.Error);
            if (loaded is null || PaperTrainSplit.Any(n => loaded.All(c => c.Name != n)))
            {
                Console.Error.WriteLine($"{path}: expected the 25M curves ({string.Join(", ", PaperTrainSplit)} and the test curves)");
                return ExitCodes.BadInput;
            }

            var report = Run(loaded, parse.GetValue(adamSteps), parse.GetValue(json));
            Console.WriteLine(parse.GetValue(json) ? ConsoleJson.Serialize(report) : BenchLawsTable.Render(report));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Dictionary<string, object> Run(List<ManifestCurve> manifestCurves, int adamSteps, bool quiet)
    {
        var curves = manifestCurves.Select(ManifestCurves.Observe).ToList();
        void Progress(string what)
        {
            if (!quiet)
            {
                Console.Error.WriteLine(what);
            }
        }

        var train = curves.Where(c => PaperTrainSplit.Contains(c.Name)).ToList();
        var test = curves.Where(c => !PaperTrainSplit.Contains(c.Name)).ToList();
        FitMetrics Score(IReadOnlyDictionary<string, double> p) =>
            FitMetrics.Mean(LawFitCommand.Score(MultiPowerLaw.LawName, p, test).Values.ToList());

        Progress("fitting the multi-power law to the paper's split with the published pipeline …");
        var (fit, fitSeconds) = Timing.Median(() => CurveLaws.Fit(MultiPowerLaw.LawName, train, mplMethod: MplFitMethods.Reference));
        var published = MultiPowerLawParameters.Published25M.ToDictionary();
        var ours = Score(fit.Parameters);
        var theirs = Score(published);

        Progress("evaluating a 24,000-step cosine: fast sum against the naive one …");
        var cosine = curves.Single(c => c.Name == "cosine_24000").Curve;
        var (_, fastSeconds) = Timing.Median(() => MultiPowerLaw.Predict(MultiPowerLawParameters.Published25M, cosine), 5);
        var (_, naiveSeconds) = Timing.Median(() => cosine.Steps.Select(s => MultiPowerLaw.PredictNaive(MultiPowerLawParameters.Published25M, cosine.LearningRates, s)).ToArray(), 1);

        Progress("optimising a 24,000-step schedule (staircase search) …");
        var problem = new ScheduleProblem(24000, 3e-4, 2160);
        var (stairs, stairsSeconds) = Timing.Median(() => MplScheduleOptimizer.Optimize(MultiPowerLawParameters.Published25M, problem));
        Progress($"optimising it with the published Adam optimiser ({adamSteps:N0} steps, the baseline) …");
        var (adam, adamSeconds) = Timing.Once(() => PublishedScheduleAdam.Optimize(MultiPowerLawParameters.Published25M, problem, adamSteps));

        Progress("fitting Chinchilla to 300 noisy points …");
        var truth = new ChinchillaParameters(1.69, 406.4, 0.34, 410.7, 0.28);
        var random = new Random(1);
        var points = (from n in Enumerable.Range(0, 20).Select(i => 1e7 * Math.Pow(1.4, i))
                      from d in Enumerable.Range(0, 15).Select(i => 1e9 * Math.Pow(1.5, i))
                      select new Chinchilla.Observation(n, d, truth.Predict(n, d) * (1 + 0.003 * (random.NextDouble() * 2 - 1)))).ToList();
        var (chinchilla, chinchillaSeconds) = Timing.Median(() => Chinchilla.Fit(points));

        var methods = MplMethodComparison.Run(manifestCurves, PaperTrainSplit, Progress);

        return new Dictionary<string, object>
        {
            ["mpl_methods"] = methods,
            ["mpl_fit"] = new
            {
                method = fit.Method,
                seconds = fitSeconds,
                published_seconds = 69.0,
                speedup = 69.0 / fitSeconds,
                objective = fit.Objective,
                objective_recomputed = CurveLaws.HuberObjective(MultiPowerLaw.LawName, fit.Parameters, train),
                published_params_objective = CurveLaws.HuberObjective(MultiPowerLaw.LawName, published, train),
                test = ours,
                published_params_test = theirs,
            },
            ["mpl_evaluate"] = new { seconds = fastSeconds, naive_seconds = naiveSeconds, ratio = fastSeconds / naiveSeconds },
            ["schedule"] = new
            {
                seconds = stairsSeconds,
                predicted_final_loss = stairs.PredictedFinalLoss,
                stages = stairs.Stages,
                evaluations = stairs.Evaluations,
                adam_steps = adamSteps,
                adam_seconds = adamSeconds,
                adam_predicted_final_loss = adam.PredictedFinalLoss,
                ratio = stairsSeconds / adamSeconds,
                published_seconds = 27.5,
                speedup = 27.5 / stairsSeconds,
            },
            ["chinchilla"] = new
            {
                points = points.Count,
                seconds = chinchillaSeconds,
                objective = chinchilla.Objective,
                @params = chinchilla.Parameters,
                truth = truth.ToDictionary(),
            },
        };
    }

    /// <summary>shared/data/mpl-25m/curves.yaml in the working directory or any directory above it (or beside one, as ../shared).</summary>
    internal static string? FindCurves()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data", "mpl-25m", "curves.yaml");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
