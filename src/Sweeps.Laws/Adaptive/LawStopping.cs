using Sweeps.Core.Grid;
using Sweeps.Core.Specs;
using Sweeps.Laws.Curves;

namespace Sweeps.Laws.Adaptive;

/// <summary>
/// Stops a run when the curve law says it cannot catch up. At each checkpoint (from
/// <see cref="StoppingSettings.After"/> of the horizon, every <see cref="StoppingSettings.Every"/>):
/// <list type="number">
/// <item>The law is fitted to the run's group: the runs of its model size, peak LR, warmup and options
/// (MPL: "Θ is per (model, batch size, peak LR)"; the sweep's own curve-law fits group runs so), of any
/// schedule and horizon, finished curves and the prefixes of those still running (this run's among
/// them). A group with no finished run predicts nothing.</item>
/// <item>The run's final loss is the law on its whole schedule, shifted by the law's mean miss on the
/// last quarter of the run's own points (its seed, and what the law does not capture).</item>
/// <item>The interval is calibrated on the sweep itself (normalised split conformal): the predictions this
/// rule made for runs that then finished, each one's relative error divided by the relative RMS residual of
/// the fit that made it (so a group the law fits badly, a peak LR near divergence, gets a wide interval and
/// one it fits well a narrow one), that of the latest prediction for each run no later in its run than this
/// one. Until there are enough for the asked <see cref="StoppingSettings.Confidence"/> (9 for 0.9),
/// nothing is stopped.</item>
/// <item>The run is stopped when its low end is worse, by more than <see cref="StoppingSettings.Margin"/>,
/// than the best final loss a finished run reached at its model size and horizon.</item>
/// </list>
/// A run that is behind now but decays later is judged on its own schedule, so a WSD run is not stopped
/// for being behind a cosine run before its decay. The peak LRs either side of the best finished run on
/// its schedule are never stopped: the sweep's η* is interpolated through them.
/// </summary>
public sealed class LawStopping(StoppingSettings settings) : IStoppingRule
{
    /// <summary>A relative RMS residual below this is a fit at the limit of double precision, not a better one.</summary>
    private const double SmallestScale = 1e-6;

    private readonly Dictionary<GroupKey, GroupFit> _fits = [];

    public bool Checks(RunDefinition run, int fromStep, int toStep) =>
        Checkpoints.Crossed(Checkpoints.Evenly(run.TotalSteps, settings.After, settings.Every), fromStep, toStep);

    public StopDecision Decide(RunProgress run, SweepProgress sweep)
    {
        if (BracketsTheBest(run, sweep) is { } bracketed)
        {
            return StopDecision.Continue($"a neighbour of the best run {bracketed.Run.RunId}'s peak LR on its schedule: kept to bracket the optimal peak LR");
        }

        if (Predict(run, sweep) is not { } prediction)
        {
            return StopDecision.Continue("no finished run of this model size, peak LR and warmup to fit the law to (or the fit failed)");
        }

        sweep.Predicted(run.Run.Index, run.Fraction, prediction.Final, prediction.Scale);
        var errors = sweep.PredictionErrors(run.Fraction);
        if (Conformal.UpperBound(errors, settings.Confidence) is not { } upper)
        {
            return new StopDecision(false, $"predicted final {prediction.Final:G5}; {errors.Count} finished runs to calibrate its interval, {Conformal.Needed(settings.Confidence)} needed", prediction.Final, Scale: prediction.Scale);
        }

        var low = prediction.Final * (1 - upper * prediction.Scale);
        // Only a loss reached is a bar: another running run's prediction, however narrow its interval,
        // could be one of the law's misses, and the run it stopped would never show it.
        var best = sweep.Completed(run.Run).Select(p => p.LatestLoss).DefaultIfEmpty(double.NaN).Min();
        if (double.IsNaN(best))
        {
            return new StopDecision(false, $"predicted final {prediction.Final:G5} (low end {low:G5}); no run of this model size and horizon has finished", prediction.Final, low, prediction.Scale);
        }

        var bar = best * (1 + settings.Margin);
        return low > bar
            ? new StopDecision(true, $"predicted final {prediction.Final:G5}, at least {low:G5} with {settings.Confidence:P0} confidence, is worse than the best final {best:G5}{(settings.Margin > 0 ? $" by more than {settings.Margin:P2}" : "")}", prediction.Final, low, prediction.Scale)
            : new StopDecision(false, $"predicted final {prediction.Final:G5} (low end {low:G5}) may reach the best final {best:G5}", prediction.Final, low, prediction.Scale);
    }

    /// <summary>
    /// The best finished run at the run's model size and horizon when the run is its neighbour in peak LR
    /// on the same schedule, warmup and options (the next peak LR up or down among the runs seen): the
    /// sweep's η* is interpolated through those three points, so they run to the end.
    /// </summary>
    private static RunProgress? BracketsTheBest(RunProgress run, SweepProgress sweep)
    {
        var best = sweep.Completed(run.Run).MinBy(p => p.LatestLoss);
        bool SameCurve(RunDefinition other) => other.ScheduleName == best.Run.ScheduleName && other.WarmupSteps == best.Run.WarmupSteps
            && GroupKey.OptionsOf(other) == GroupKey.OptionsOf(best.Run);
        if (best is null || !SameCurve(run.Run))
        {
            return null;
        }

        var curve = sweep.Cell(run.Run).Where(p => SameCurve(p.Run)).Select(p => p.Run.PeakLr).Distinct().Order().ToList();
        var at = curve.IndexOf(best.Run.PeakLr);
        var neighbours = new[] { at - 1, at + 1 }.Where(i => i >= 0 && i < curve.Count).Select(i => curve[i]);
        return neighbours.Contains(run.Run.PeakLr) ? best : null;
    }

    /// <summary>The run's predicted final loss and its fit's relative RMS residual, or null when the law cannot be fitted to its group.</summary>
    private (double Final, double Scale)? Predict(RunProgress run, SweepProgress sweep)
    {
        var key = GroupKey.Of(run.Run);
        var group = sweep.All().Where(p => GroupKey.Of(p.Run) == key).ToList(); // every horizon: Θ does not depend on it
        var finished = group.Count(p => p.Completed);
        if (finished == 0)
        {
            return null; // fitted to prefixes alone, the law extrapolates too far to be trusted (nor can the calibration tell: stopped runs never finish)
        }

        // Refitted when a run of the group has finished since, or its running runs have 20% more points.
        var points = group.Sum(p => p.Points);
        if (!_fits.TryGetValue(key, out var fit) || fit.Finished != finished || points > fit.Points * 1.2)
        {
            _fits[key] = fit = Fit(group, finished, points);
        }

        if (fit.Parameters is not { } parameters)
        {
            return null;
        }

        var observed = SweepLaws.Observe(new RunCurve(run.Run, run.Observed));
        if (observed.Loss.Length == 0)
        {
            return null;
        }

        var lr = observed.Curve.LearningRates;
        var predictions = CurveLaws.Predict(settings.Law, parameters, new MplCurve(lr, [.. observed.Curve.Steps, lr.Length - 1]));
        var tail = Math.Max(1, observed.Loss.Length / 4);
        var miss = 0.0;
        for (var i = observed.Loss.Length - tail; i < observed.Loss.Length; i++)
        {
            miss += observed.Loss[i] - predictions[i];
        }

        // A loss below zero, or above the loss the run has already reached (its LR only falls from here), is
        // a fit gone wrong, not a prediction: no prediction, so nothing is stopped on it.
        var final = predictions[^1] + miss / tail;
        return final > 0 && final <= run.LatestLoss ? (final, fit.Scale) : null;
    }

    private GroupFit Fit(List<RunProgress> group, int finished, int points)
    {
        var observations = group.Select(p => SweepLaws.Observe(new RunCurve(p.Run, p.Observed))).Where(o => o.Loss.Length > 0).ToList();
        var report = observations.Count == 0 ? null : CurveLaws.Fit(settings.Law, observations);
        if (report is not { Parameters.Count: > 0 })
        {
            return new GroupFit(finished, points, null, double.NaN);
        }

        var squares = 0.0;
        var count = 0;
        foreach (var observation in observations)
        {
            var predicted = CurveLaws.Predict(settings.Law, report.Parameters, observation.Curve);
            for (var i = 0; i < observation.Loss.Length; i++)
            {
                var relative = (observation.Loss[i] - predicted[i]) / observation.Loss[i];
                squares += relative * relative;
                count++;
            }
        }

        return new GroupFit(finished, points, report.Parameters, Math.Max(Math.Sqrt(squares / count), SmallestScale));
    }

    /// <param name="Scale">The fit's relative RMS residual over its points, the unit of its predictions' errors.</param>
    private sealed record GroupFit(int Finished, int Points, IReadOnlyDictionary<string, double>? Parameters, double Scale);

    /// <summary>The runs that share the law's parameters.</summary>
    private readonly record struct GroupKey(double ModelSize, double PeakLr, int WarmupSteps, string Options)
    {
        public static GroupKey Of(RunDefinition run) => new(run.ModelSize, run.PeakLr, run.WarmupSteps, OptionsOf(run));

        public static string OptionsOf(RunDefinition run) =>
            string.Join(",", run.Options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => FormattableString.Invariant($"{o.Key}={o.Value:R}")));
    }
}
