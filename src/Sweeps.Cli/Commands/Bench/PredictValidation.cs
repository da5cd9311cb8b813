using System.Diagnostics;
using Sweeps.Core.Curves;
using Sweeps.Core.Grid;
using Sweeps.Core.Schedules;
using Sweeps.Core.Specs;
using Sweeps.Kernels;
using Sweeps.Laws;
using Sweeps.Laws.Scaling;
using Sweeps.Laws.ScheduleSearch;

namespace Sweeps.Cli.Commands.Bench;

/// <summary>
/// Validation of <see cref="ScalePredictor"/> against a simulator's ground truth: sweep peak LR ×
/// schedule over small sizes and short horizons, predict at a larger size and a longer horizon, then
/// run there directly: every baseline schedule at the predicted peak LR (the predicted loss against
/// the simulated one) and a fine LR grid around it (the predicted peak LR against the true optimum,
/// interpolated like the sweep's). Kernels are called directly, in parallel, with no cluster.
/// </summary>
internal static class PredictValidation
{
    /// <summary>A sweep to predict from and the scale to predict.</summary>
    internal sealed record Case(string Name, string Simulator, double[] ModelSizes, int[] Horizons, double[] PeakLrs, int WarmupSteps, double TargetSize, int TargetSteps)
    {
        public IReadOnlyDictionary<string, double> Options { get; init; } = new Dictionary<string, double>();
    }

    /// <summary>One schedule's check at the target (snake_case in JSON).</summary>
    internal sealed record Check(
        string Case, string Schedule, double TargetSize, int TargetSteps, double PredictedPeakLr, double[] PeakLrInterval, double TruePeakLr, double PeakLrError,
        double PredictedLoss, double SimulatedLoss, double LossError);

    /// <summary>
    /// The protocol on the LLM-pretraining twin: sizes 100M–400M and horizons 3,000–12,000
    /// steps, predicted at 8× both (3.2B parameters, 96,000 steps), with its default evaluation noise.
    /// </summary>
    public static Case MplSurrogate8x { get; } = new("mpl-surrogate 8x", "mpl-surrogate", [1e8, 2e8, 4e8], [3000, 6000, 12000],
        AxisValues.LogSpace(1e-4, 3.2e-3, 16), 300, 3.2e9, 96_000);

    /// <summary>Grid points of the truth's LR scan around the prediction (±4×, odd so the prediction is the middle one).</summary>
    public const int TruthGridPoints = 25;

    public static (ScalePrediction Prediction, IReadOnlyList<Check> Checks, double Seconds) Run(Case c)
    {
        var clock = Stopwatch.StartNew();
        var kernel = KernelCatalog.Default.Get(c.Simulator);
        var runs = (from n in c.ModelSizes
                    from t in c.Horizons
                    from lr in c.PeakLrs
                    from s in BaselineSchedules.Shapes
                    select Definition(n, t, lr, c.WarmupSteps, s.Key, s.Value, c.Options)).Select((r, i) => r with { Index = i }).ToList();
        var results = runs.AsParallel().AsOrdered().Select(r => (Run: r, Result: kernel.Run(new KernelRun(Schedule.Evaluate(r.Schedule), r.ModelSize, r.Seed, r.Options)))).ToList();
        var points = results.Where(r => r.Result.Outcome == RunOutcome.Succeeded).Select(r => Point(r.Run, r.Result.FinalLoss)).ToList();
        var diverged = results.Where(r => r.Result.Outcome == RunOutcome.Diverged).Select(r => Point(r.Run, double.NaN)).ToList();
        var curves = results.Where(r => r.Result.Outcome == RunOutcome.Succeeded).Select(r => new RunCurve(r.Run, r.Result.Curve)).ToList();

        var prediction = ScalePredictor.Predict(points, curves, diverged, c.TargetSize, c.TargetSteps, c.WarmupSteps);

        // The truth: the simulator without its evaluation noise, at the target scale.
        var clean = new Dictionary<string, double>(c.Options) { ["eval_noise"] = 0 };
        var scan = AxisValues.LogSpace(prediction.OptimalPeakLr / 4, prediction.OptimalPeakLr * 4, TruthGridPoints);
        scan[TruthGridPoints / 2] = prediction.OptimalPeakLr; // the middle of the scan, exactly: the predicted configuration itself
        var truth = (from lr in scan
                     from s in BaselineSchedules.Shapes
                     select Definition(c.TargetSize, c.TargetSteps, lr, c.WarmupSteps, s.Key, s.Value, clean)).ToList()
            .AsParallel().AsOrdered()
            .Select(r => (Run: r, Result: kernel.Run(new KernelRun(Schedule.Evaluate(r.Schedule), r.ModelSize, r.Seed, r.Options))))
            .ToList();
        // Per schedule: the law's optimum for that schedule against the schedule's true optimum, and the
        // predicted loss at the recommended LR against the simulated one. "best": the recommendation
        // against the true optimum over LR and schedule together (what the sweep's η* means).
        var checks = new List<Check>();
        var succeeded = truth.Where(r => r.Result.Outcome == RunOutcome.Succeeded).ToList();
        var bestSchedule = prediction.PredictedFinalLoss.Where(p => p.Key != "optimal").MinBy(p => p.Value).Key;
        foreach (var schedule in BaselineSchedules.Shapes.Keys.Where(prediction.PredictedFinalLoss.ContainsKey).Append("best"))
        {
            var mine = succeeded.Where(r => schedule == "best" || r.Run.ScheduleName == schedule).ToList();
            var optimum = OptimalLearningRate.FromGrid(mine.Select(r => Point(r.Run, r.Result.FinalLoss))).Single();
            var name = schedule == "best" ? bestSchedule : schedule;
            var predictedLr = schedule == "best" ? prediction.OptimalPeakLr : prediction.OptimalPeakLrBySchedule[schedule];
            var simulated = succeeded.Single(r => r.Run.ScheduleName == name && r.Run.PeakLr == prediction.OptimalPeakLr).Result.FinalLoss;
            var predictedLoss = prediction.PredictedFinalLoss[name];
            checks.Add(new Check(c.Name, schedule == "best" ? $"best ({name})" : schedule, c.TargetSize, c.TargetSteps, predictedLr,
                schedule == "best" ? prediction.OptimalPeakLrInterval : [double.NaN, double.NaN], optimum.PeakLr,
                predictedLr / optimum.PeakLr - 1, predictedLoss, simulated, predictedLoss / simulated - 1));
        }

        return (prediction, checks, clock.Elapsed.TotalSeconds);
    }

    private static RunDefinition Definition(double size, int steps, double peak, int warmup, string name, ScheduleSpec shape, IReadOnlyDictionary<string, double> options) =>
        new(0, peak, warmup, size, steps, name, shape with { PeakLr = peak, WarmupSteps = warmup, TotalSteps = steps }, 0, options);

    private static FinalLossPoint Point(RunDefinition run, double loss) =>
        new(run.ModelSize, run.TotalSteps, run.PeakLr, run.WarmupSteps, run.ScheduleName, run.Seed, loss);
}
