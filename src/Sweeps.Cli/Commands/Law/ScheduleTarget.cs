using System.Text.Json;
using Sweeps.Laws.Curves;
using Sweeps.Laws.OptLaws;
using Sweeps.Laws.ScheduleSearch;

namespace Sweeps.Cli.Commands.Law;

/// <summary>
/// What <c>optimize-schedule</c> needs of a law: its optimum for a problem, its predicted final
/// loss for the baselines, and extra report fields. One per law; built from the parameter file.
/// </summary>
internal sealed record ScheduleTarget(
    Func<ScheduleProblem, ScheduleOptimization> Optimize,
    Func<ScheduleProblem, IReadOnlyDictionary<string, double>> Baselines,
    Func<ScheduleProblem, ScheduleOptimization, IReadOnlyDictionary<string, object>> Extras)
{
    public static readonly string[] Laws = [MultiPowerLaw.LawName, ConvexBoundLaw.LawName, OptLaw.LawName];

    private static readonly IReadOnlyDictionary<string, object> NoExtras = new Dictionary<string, object>();

    private static readonly string[] ConvexParameters = ["L_inf", "D2", "G2"];

    public static ScheduleTarget Mpl(IReadOnlyDictionary<string, double> values)
    {
        var p = MultiPowerLawParameters.FromDictionary(values);
        return new(problem => MplScheduleOptimizer.Optimize(p, problem), PerStep(lr => MplFinalLoss.Value(p, lr)), (_, _) => NoExtras);
    }

    public static ScheduleTarget Convex(IReadOnlyDictionary<string, double> values)
    {
        var missing = ConvexParameters.Where(n => !values.ContainsKey(n)).ToArray();
        if (missing.Length > 0)
        {
            throw new KeyNotFoundException($"missing parameter(s) {string.Join(", ", missing)}");
        }

        double lInfinity = values["L_inf"], d2 = values["D2"], g2 = values["G2"];
        double Loss(ReadOnlySpan<double> lr, Span<double> gradient) => ConvexBound.FinalLoss(lr, lInfinity, d2, g2, gradient);
        return new(
            problem => MonotoneDescent.Optimize(Loss, problem, problem.Baseline(BaselineSchedules.Shapes["linear"] with { FinalLrRatio = 0.1 })),
            PerStep(lr => Loss(lr, [])),
            (problem, result) =>
            {
                // The bound's closed-form best peak for the optimised shape (digest §1.9): the shape is the
                // optimum at the given peak, so this says whether another peak would do better still.
                var shape = result.LearningRates.Select(lr => lr / problem.PeakLr).ToArray();
                var (peak, bound) = ConvexBound.OptimalPeakLr(shape, lInfinity, d2, g2);
                return new Dictionary<string, object> { ["optimal_peak_lr_for_shape"] = peak, ["final_loss_at_optimal_peak"] = bound };
            });
    }

    public static ScheduleTarget OptLaws(OptLaw law, double modelSize)
    {
        OptLawsSchedule? found = null;
        return new(
            problem =>
            {
                var (schedule, result) = OptLawsScheduleSearch.Optimize(law, modelSize, problem);
                found = schedule;
                return result;
            },
            problem => new Dictionary<string, double>
            {
                // The law's own family: every baseline cools down to 0.
                ["cosine"] = law.PredictLoss(new OptLawsRun(modelSize, OptLawsSchedule.WarmupCooldown(problem.PeakLr, problem.WarmupSteps, problem.TotalSteps, cosine: true))),
                ["wsd"] = law.PredictLoss(new OptLawsRun(modelSize, OptLawsSchedule.WarmupConstantCooldown(
                    problem.PeakLr, problem.WarmupSteps, problem.WarmupSteps + 0.8 * (problem.TotalSteps - problem.WarmupSteps), problem.TotalSteps))),
                ["linear"] = law.PredictLoss(new OptLawsRun(modelSize, OptLawsSchedule.WarmupCooldown(problem.PeakLr, problem.WarmupSteps, problem.TotalSteps))),
            },
            (problem, _) => new Dictionary<string, object>
            {
                ["schedule"] = new
                {
                    eta1 = found!.Eta1,
                    eta2 = found.Eta2,
                    a1 = found.A1,
                    a2 = found.A2,
                    a3 = found.A3,
                    total_steps = found.TotalSteps,
                    cooldown = found.CosineCooldown ? "cosine" : "linear",
                },
                ["divergence_ratio"] = law.Divergence(new OptLawsRun(modelSize, found)),
            });
    }

    /// <summary>Reads <c>{"params": {name: value}}</c> (what <c>sweeps law fit --out</c> writes).</summary>
    public static IReadOnlyDictionary<string, double> ReadParameters(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("params").EnumerateObject().ToDictionary(e => e.Name, e => e.Value.GetDouble());
    }

    /// <summary>The <c>method</c> a fit file records (how `sweeps law fit` fitted it), or null when it records none.</summary>
    public static string? ReadFitMethod(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("method", out var method) && method.ValueKind == JsonValueKind.String
            ? method.GetString()
            : null;
    }

    /// <summary>Reads <c>{"coefficients": [16 numbers]}</c>, the Opt-Laws' own refit.</summary>
    public static OptLaw ReadOptLaw(string path, OptLawsUnits units)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var coefficients = document.RootElement.GetProperty("coefficients").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        return new OptLaw(coefficients, units);
    }

    private static Func<ScheduleProblem, IReadOnlyDictionary<string, double>> PerStep(Func<double[], double> finalLoss) =>
        problem => BaselineSchedules.For(problem).ToDictionary(s => s.Key, s => s.Value is { } lr ? finalLoss(lr) : double.NaN);
}
