namespace Sweeps.Kernels;

/// <summary>
/// A kernel that advances a <see cref="KernelState"/> one update per LR: the run loop shared by the
/// quadratic, random-feature, river-valley and bigram kernels. It records the loss at
/// <see cref="CurveSteps.For"/> steps, stops with <see cref="RunOutcome.Diverged"/> once the loss
/// is not finite or exceeds <see cref="DivergenceFactor"/> times the initial loss (the curve then
/// ends at the very step it happened, found by replaying the run from its previous record), observes
/// cancellation at each record, and, given a <see cref="PrefixCache"/>, starts from the deepest
/// checkpoint of a run with the same first steps and leaves checkpoints of its own. Each recorded
/// point is also told to the run's <see cref="KernelRun.Observer"/>, for watching a running run.
/// </summary>
public abstract class SteppedKernel : KernelWithScalarReference
{
    /// <summary>A run whose loss exceeds this multiple of its initial loss has diverged.</summary>
    public const double DivergenceFactor = 1e6;

    /// <summary>The run's state before its first update.</summary>
    protected abstract KernelState Start(KernelRun run, bool vectorised);

    /// <summary>The SIMD path, sharing prefixes through <paramref name="cache"/>.</summary>
    public KernelResult Run(KernelRun run, PrefixCache cache, CancellationToken cancellationToken = default) =>
        Simulate(run, vectorised: true, cache, cancellationToken);

    protected override KernelResult Simulate(KernelRun run, bool vectorised, CancellationToken cancellationToken) =>
        Simulate(run, vectorised, null, cancellationToken);

    /// <summary>
    /// The smallest initial loss the divergence rule scales by: a run may start at zero loss (a river
    /// valley with no river and no floor, started on the river), and any noise would then read as a
    /// millionfold rise; below this, a loss above DivergenceFactor × this (1) is what diverges.
    /// </summary>
    public const double MinimumDivergenceScale = 1e-6;

    private static bool Diverged(double loss, double initialLoss) =>
        !double.IsFinite(loss) || loss > DivergenceFactor * Math.Max(initialLoss, MinimumDivergenceScale);

    /// <summary>The first step in (previous, recorded] whose loss has exploded, and that loss, by replaying the run step by step.</summary>
    private (int Step, double Loss) DivergenceStep(KernelRun run, bool vectorised, int previous, int recorded, double initialLoss)
    {
        var replay = Start(run, vectorised);
        while (replay.Step < previous)
        {
            replay.Advance(run.LearningRates[replay.Step]);
        }

        while (replay.Step < recorded)
        {
            replay.Advance(run.LearningRates[replay.Step]);
            var loss = replay.Loss();
            if (Diverged(loss, initialLoss))
            {
                return (replay.Step, loss);
            }
        }

        return (recorded, replay.Loss());
    }

    private KernelResult Simulate(KernelRun run, bool vectorised, PrefixCache? cache, CancellationToken cancellationToken)
    {
        var lr = run.LearningRates;
        var recordAt = CurveSteps.For(lr.Length, run.CurvePoints);
        var steps = new List<int>(recordAt.Length);
        var lrs = new List<double>(recordAt.Length);
        var losses = new List<double>(recordAt.Length);
        var key = cache is null ? "" : PrefixCache.KeyOf(Info.Name, vectorised, run);
        // Checkpoints beyond the part of the schedule another run can share would only cost memory (and GC time).
        var checkpointAt = cache is null ? [] : new HashSet<int>(PrefixCache.CheckpointSteps(lr.Length).Where(s => s <= (run.ShareablePrefix ?? lr.Length)));

        KernelState state;
        double initialLoss;
        if (cache?.Deepest(key, lr, recordAt) is { } resumed)
        {
            state = resumed.State;
            steps.AddRange(resumed.Steps);
            lrs.AddRange(resumed.Lrs);
            losses.AddRange(resumed.Losses);
            initialLoss = losses[0]; // step 0 is always recorded, so every checkpoint has it
            for (var i = 0; i < steps.Count; i++)
            {
                run.Observer?.Recorded(steps[i], lrs[i], losses[i]);
                cancellationToken.ThrowIfCancellationRequested(); // as after every record: a run stopped at a replayed point stops there
            }
        }
        else
        {
            state = Start(run, vectorised);
            initialLoss = state.Loss();
        }

        var reusedSteps = state.Step;
        var next = steps.Count;
        for (var t = state.Step; t <= lr.Length; t++)
        {
            if (next < recordAt.Length && t == recordAt[next])
            {
                var loss = t == 0 ? initialLoss : state.Loss();
                steps.Add(t);
                lrs.Add(Core.Curves.RecordedLr.At(lr, t));
                losses.Add(loss);
                if (Diverged(loss, initialLoss))
                {
                    // The explosion happened after the previous record: replay from the start (the run is
                    // deterministic) to find the step, and end the curve there.
                    var (at, lossThere) = DivergenceStep(run, vectorised, previous: steps.Count > 1 ? steps[^2] : 0, t, initialLoss);
                    (steps[^1], lrs[^1], losses[^1]) = (at, Core.Curves.RecordedLr.At(lr, at), lossThere);
                    return Result(RunOutcome.Diverged, double.NaN);
                }

                run.Observer?.Recorded(t, lrs[^1], loss);
                next++;
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (checkpointAt.Contains(t))
            {
                cache!.Put(new PrefixCache.Checkpoint(key, lr, state.Copy(), [.. steps], [.. lrs], [.. losses]));
            }

            if (t < lr.Length)
            {
                state.Advance(lr[t]);
            }
        }

        return Result(RunOutcome.Succeeded, losses[^1]);

        KernelResult Result(RunOutcome outcome, double finalLoss) =>
            new(outcome, new Core.Curves.Curve([.. steps], [.. lrs], [.. losses]), finalLoss) { SimulatedSteps = state.Step - reusedSteps };
    }
}
