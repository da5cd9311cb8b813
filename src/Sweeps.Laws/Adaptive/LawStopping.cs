using Sweeps.Core.Grid;
using Sweeps.Core.Specs;
using Sweeps.Laws.Curves;
using Sweeps.Laws.Scaling;

namespace Sweeps.Laws.Adaptive;

/// <summary>
/// Stops a run when the curve law says it cannot catch up. At each checkpoint (from
/// <see cref="StoppingSettings.After"/> of the horizon, every <see cref="StoppingSettings.Every"/>):
/// <list type="number">
/// <item>The law is fitted to the run's group: the runs of its model size, peak LR, warmup and options
/// (MPL: "Θ is per (model, batch size, peak LR)"; the sweep's own curve-law fits group runs so), of any
/// schedule and horizon, finished curves and the prefixes of those still running (this run's among
/// them). A group with no finished run predicts nothing. With a fit file (<see cref="StoppingSettings.FitParameters"/>)
/// the file's law predicts instead, from a run's first checkpoint: a multi-scale MPL at the group's model
/// size and peak LR, any other fit as it is.</item>
/// <item>The run's final loss is the law on its whole schedule, shifted by the law's mean miss on the
/// last quarter of the run's own points (its seed, and what the law does not capture).</item>
/// <item>The interval is calibrated on the sweep itself (normalised split conformal): the predictions this
/// rule made for runs that then finished, each one's relative error divided by the relative RMS residual of
/// the fit that made it (so a group the law fits badly, a peak LR near divergence, gets a wide interval and
/// one it fits well a narrow one), that of the latest prediction for each run no later in its run than this
/// one. Until there are enough for the asked <see cref="StoppingSettings.Confidence"/> (9 for 0.9),
/// nothing is stopped.</item>
/// <item>The run is stopped when its low end is worse, by more than <see cref="StoppingSettings.Margin"/>,
/// than the best final loss a finished run reached at its model size and horizon, or at a shorter horizon:
/// a run trained longer on a schedule of the same shape ends lower (pretraining's loss falls with the
/// steps), so the best at this horizon will be below a shorter one's best, and a run that cannot reach
/// that cannot reach this horizon's best either.</item>
/// </list>
/// A run that is behind now but decays later is judged on its own schedule, so a WSD run is not stopped
/// for being behind a cosine run before its decay. The peak LRs either side of the best finished run on
/// its schedule are not stopped until one seed of each has finished: the sweep's η* is interpolated
/// through them, and one finished seed puts the point on its curve.
/// </summary>
public sealed class LawStopping : IStoppingRule
{
    /// <summary>A relative RMS residual below this is a fit at the limit of double precision, not a better one.</summary>
    private const double SmallestScale = 1e-6;

    private readonly StoppingSettings _settings;

    /// <summary>The fit file's law for a run's group, or null: the law is fitted to the sweep's runs.</summary>
    private readonly Func<RunDefinition, Func<MplCurve, double[]>>? _given;

    private readonly Dictionary<GroupKey, GroupFit> _fits = [];

    /// <exception cref="ArgumentException">The settings' fit parameters are not a fit of their law.</exception>
    public LawStopping(StoppingSettings settings)
    {
        _settings = settings;
        _given = _settings.FitParameters is { } parameters ? GivenLaw(_settings.Law, parameters, _settings.FitFile ?? "the fit") : null;
    }

    public bool Checks(RunDefinition run, int fromStep, int toStep) =>
        Checkpoints.Crossed(Checkpoints.Evenly(run.TotalSteps, _settings.After, _settings.Every), fromStep, toStep);

    public StopDecision Decide(RunProgress run, SweepProgress sweep)
    {
        if (BracketsTheBest(run, sweep) is { } bracketed)
        {
            return StopDecision.Continue($"a neighbour of the best run {bracketed.Run.RunId}'s peak LR on its schedule: kept to bracket the optimal peak LR");
        }

        if (Predict(run, sweep) is not { } prediction)
        {
            return StopDecision.Continue(_given is null
                ? "no finished run of this model size, peak LR and warmup to fit the law to (or the fit failed)"
                : $"{_settings.FitFile}'s law gives no usable prediction for this run yet");
        }

        sweep.Predicted(run.Run.Index, run.Fraction, prediction.Final, prediction.Scale);
        var errors = sweep.PredictionErrors(run.Fraction);
        if (Conformal.UpperBound(errors, _settings.Confidence) is not { } upper)
        {
            return new StopDecision(false, $"predicted final {prediction.Final:G5}; {errors.Count} finished runs to calibrate its interval, {Conformal.Needed(_settings.Confidence)} needed", prediction.Final, Scale: prediction.Scale);
        }

        var low = prediction.Final * (1 - upper * prediction.Scale);
        // Only a loss reached is a bar: another running run's prediction, however narrow its interval,
        // could be one of the law's misses, and the run it stopped would never show it. A shorter
        // horizon's is one too: that run trained to this horizon ends lower, so this horizon's best will.
        var bestRun = sweep.CompletedUpTo(run.Run).MinBy(p => p.LatestLoss);
        if (bestRun is null)
        {
            return new StopDecision(false, $"predicted final {prediction.Final:G5} (low end {low:G5}); no run of this model size has finished at this horizon or a shorter one", prediction.Final, low, prediction.Scale);
        }

        var best = bestRun.LatestLoss;
        var reached = bestRun.Run.TotalSteps == run.Run.TotalSteps ? $"the best final {best:G5}" : $"the best final {best:G5} at the shorter horizon {bestRun.Run.TotalSteps}";
        var bar = best * (1 + _settings.Margin);
        return low > bar
            ? new StopDecision(true, $"predicted final {prediction.Final:G5}, at least {low:G5} with {_settings.Confidence:P0} confidence, is worse than {reached}{(_settings.Margin > 0 ? $" by more than {_settings.Margin:P2}" : "")}", prediction.Final, low, prediction.Scale)
            : new StopDecision(false, $"predicted final {prediction.Final:G5} (low end {low:G5}) may reach {reached}", prediction.Final, low, prediction.Scale);
    }

    /// <summary>
    /// The best finished run at the run's model size and horizon when the run is its neighbour in peak LR
    /// on the same schedule, warmup and options (the next peak LR up or down among the runs seen) and no
    /// seed of its configuration has finished: the sweep's η* is interpolated through those three points, so
    /// one run of each runs to the end.
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
        // One finished seed puts the neighbour's point on the curve; its other seeds are judged like any run.
        var measured = sweep.Completed(run.Run).Any(p => SameCurve(p.Run) && p.Run.PeakLr == run.Run.PeakLr);
        return neighbours.Contains(run.Run.PeakLr) && !measured ? best : null;
    }

    /// <summary>The run's predicted final loss and its fit's relative RMS residual, or null when the law cannot be fitted to its group.</summary>
    private (double Final, double Scale)? Predict(RunProgress run, SweepProgress sweep)
    {
        var key = GroupKey.Of(run.Run);
        var group = sweep.All().Where(p => GroupKey.Of(p.Run) == key).ToList(); // every horizon: Θ does not depend on it
        var finished = group.Count(p => p.Completed);
        if (finished == 0 && _given is null)
        {
            return null; // fitted to prefixes alone, the law extrapolates too far to be trusted (nor can the calibration tell: stopped runs never finish)
        }

        // Refitted when a run of the group has finished since, or its running runs have 20% more points.
        var points = group.Sum(p => p.Points);
        if (!_fits.TryGetValue(key, out var fit) || fit.Finished != finished || points > fit.Points * 1.2)
        {
            _fits[key] = fit = Fit(run.Run, group, finished, points);
        }

        if (fit.Law is not { } law)
        {
            return null;
        }

        var observed = SweepLaws.Observe(new RunCurve(run.Run, run.Observed));
        if (observed.Loss.Length == 0)
        {
            return null;
        }

        var lr = observed.Curve.LearningRates;
        var predictions = law(new MplCurve(lr, [.. observed.Curve.Steps, lr.Length - 1]));
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

    /// <summary>The group's law (the fit file's, or fitted to the group's curves) and its relative RMS residual on them.</summary>
    private GroupFit Fit(RunDefinition run, List<RunProgress> group, int finished, int points)
    {
        var observations = group.Select(p => SweepLaws.Observe(new RunCurve(p.Run, p.Observed))).Where(o => o.Loss.Length > 0).ToList();
        if (observations.Count == 0)
        {
            return new GroupFit(finished, points, null, double.NaN);
        }

        var law = _given?.Invoke(run);
        // Parameters the curves do not identify (A < 0 where the loss sits on an LR-set noise floor, C and β
        // running off together) still predict curves like the group's; whether they predict this run's end
        // is what the calibration measures.
        if (law is null && CurveLaws.FitForPrediction(_settings.Law, observations) is { Parameters.Count: > 0 } report && report.Parameters.Values.All(double.IsFinite))
        {
            law = curve => CurveLaws.Predict(_settings.Law, report.Parameters, curve);
        }

        if (law is null)
        {
            return new GroupFit(finished, points, null, double.NaN);
        }

        var squares = 0.0;
        var count = 0;
        foreach (var observation in observations)
        {
            var predicted = law(observation.Curve);
            for (var i = 0; i < observation.Loss.Length; i++)
            {
                var relative = (observation.Loss[i] - predicted[i]) / observation.Loss[i];
                squares += relative * relative;
                count++;
            }
        }

        var scale = Math.Sqrt(squares / count);
        return double.IsFinite(scale) ? new GroupFit(finished, points, law, Math.Max(scale, SmallestScale)) : new GroupFit(finished, points, null, double.NaN);
    }

    /// <summary>
    /// The law of a fit file for each run's group: a multi-scale MPL at the run's model size (and its curve's
    /// peak LR), any other fit as written.
    /// </summary>
    private static Func<RunDefinition, Func<MplCurve, double[]>> GivenLaw(string lawName, IReadOnlyDictionary<string, double> parameters, string source)
    {
        try
        {
            if (MultiScaleMpl.IsMultiScale(parameters))
            {
                if (lawName != Core.Specs.KnownLaws.Mpl)
                {
                    throw new ArgumentException($"a multi-scale fit is of the mpl law, not {lawName}");
                }

                var multiScale = MultiScaleMpl.FromCoefficients(parameters);
                return run => curve => multiScale.Predict(run.ModelSize, curve);
            }

            CurveLaws.Predict(lawName, parameters, new MplCurve([1e-3], [0])); // the law's parameters are all there
            return _ => curve => CurveLaws.Predict(lawName, parameters, curve);
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException)
        {
            throw new ArgumentException($"{source}: not a usable {lawName} fit: {e.Message}", e);
        }
    }

    /// <param name="Law">The group's predicted loss at each step of a curve; null: none (the fit failed).</param>
    /// <param name="Scale">The law's relative RMS residual over the group's points, the unit of its predictions' errors.</param>
    private sealed record GroupFit(int Finished, int Points, Func<MplCurve, double[]>? Law, double Scale);

    /// <summary>The runs that share the law's parameters.</summary>
    private readonly record struct GroupKey(double ModelSize, double PeakLr, int WarmupSteps, string Options)
    {
        public static GroupKey Of(RunDefinition run) => new(run.ModelSize, run.PeakLr, run.WarmupSteps, OptionsOf(run));

        public static string OptionsOf(RunDefinition run) =>
            string.Join(",", run.Options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => FormattableString.Invariant($"{o.Key}={o.Value:R}")));
    }
}
