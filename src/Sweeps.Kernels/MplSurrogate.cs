using Sweeps.Core.Curves;
using Sweeps.Core.Simulators;
using Sweeps.Laws.Curves;
using Sweeps.Laws.OptLaws;

namespace Sweeps.Kernels;

/// <summary>
/// <c>mpl-surrogate</c>: a digital twin of LLM pretraining. The loss curve is the multi-power law
/// (the published code's discrete semantics, <see cref="MultiPowerLaw"/>) with parameters that
/// depend on the model size and the peak LR (<see cref="MplSurrogateCalibration"/>: power laws in N
/// through the published 25M, 100M and 400M fits, and the LR noise floor of the law's derivation),
/// plus evaluation noise, and divergence by the Opt-Laws rule.
/// <list type="bullet">
/// <item>Step t of the curve is the law at step index t − 1 (after t updates), capped at
/// <c>initial_loss</c> (the law's power-law term is unbounded near step 0; ln 32,000 ≈ 10.4, a
/// uniform guess over a LLaMA vocabulary, by default).</item>
/// <item>Noise: every recorded point gets an independent N(0, <c>eval_noise</c>²) error, seeded by the
/// run's seed through <see cref="SplitMix64"/> (default 7e-4, the seed-to-seed spread of final losses
/// the paper reports, digest §7 item 9).</item>
/// <item>Divergence: the Opt-Laws ratio R (App. A.3) from the model size, the peak, the warmup and
/// the horizon in tokens (<c>tokens_per_step</c>, default 0.5M as in the MPL paper's runs); R &gt; 1
/// ends the curve at the end of the warmup, where the loss spikes, with outcome diverged.</item>
/// </list>
/// The vectorised path is <see cref="MultiPowerLaw.Predict"/> (sums over LR changes only, far
/// blocks of a smooth schedule by quadrature, SIMD log/exp: the same bits on every silo of one
/// instruction set, within 1e-12 of the scalar path across sets); the scalar reference is the law
/// term by term (<see cref="MultiPowerLaw.PredictNaive"/>). Both draw the same noise.
/// </summary>
public sealed class MplSurrogate : KernelWithScalarReference
{
    public override SimulatorInfo Info { get; } = new(
        "mpl-surrogate",
        "LLM pretraining twin: the multi-power law with parameters calibrated in model size and peak LR on the published 25M–400M fits, evaluation noise, Opt-Laws divergence",
        [
            new("eval_noise", 7e-4, 0.0, 1.0, "standard deviation of the noise on every recorded loss"),
            new("tokens_per_step", 524_288, 1, 1e9, "tokens per step, for the divergence rule's horizon"),
            new("initial_loss", 10.4, 0.1, 100, "the loss before training (caps the law near step 0)"),
        ],
        MinModelSize: 1e6,
        MaxModelSize: 1e12,
        ModelSizeIsCount: false);

    protected override KernelResult Simulate(KernelRun run, bool vectorised, CancellationToken cancellationToken)
    {
        var lr = run.LearningRates;
        var peak = lr.Max();
        var warmupEnd = Array.IndexOf(lr, peak); // the first step at the peak
        var parameters = MplSurrogateCalibration.At(run.ModelSize, peak);
        double noise = run.Option("eval_noise", 7e-4), cap = run.Option("initial_loss", 10.4);
        var random = new SplitMix64((ulong)(uint)run.Seed ^ 0x4D504C5355525247UL);

        var law = new OptLaw(OptLaw.PublishedCoefficients, new OptLawsUnits(run.Option("tokens_per_step", 524_288)));
        var schedule = OptLawsSchedule.WarmupCooldown(peak, Math.Max(warmupEnd, 1), Math.Max(lr.Length, warmupEnd + 2));
        var diverges = law.Diverges(new OptLawsRun(run.ModelSize, schedule));

        var steps = CurveSteps.For(lr.Length, run.CurvePoints);
        if (diverges)
        {
            steps = [.. steps.Where(t => t <= warmupEnd)];
        }

        var clean = new double[steps.Length];
        var indices = steps.Where(t => t >= 1).Select(t => t - 1).ToArray();
        var predicted = vectorised
            ? MultiPowerLaw.Predict(parameters, new MplCurve(lr, indices))
            : indices.Select(s => MultiPowerLaw.PredictNaive(parameters, lr, s)).ToArray();
        cancellationToken.ThrowIfCancellationRequested();
        var offset = steps.Length - indices.Length; // step 0, when recorded, has no law value
        for (var i = 0; i < steps.Length; i++)
        {
            clean[i] = i < offset ? cap : Math.Min(predicted[i - offset], cap);
        }

        var loss = clean.Select(l => l + noise * random.NextGaussian()).ToArray();
        var curve = new Curve(steps, [.. steps.Select(t => RecordedLr.At(lr, t))], loss);
        return diverges
            ? new KernelResult(RunOutcome.Diverged, curve, double.NaN) { SimulatedSteps = warmupEnd }
            : new KernelResult(RunOutcome.Succeeded, curve, loss[^1]) { SimulatedSteps = lr.Length };
    }
}
