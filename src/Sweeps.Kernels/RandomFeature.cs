using System.Runtime.Intrinsics;
using Sweeps.Core.Simulators;

namespace Sweeps.Kernels;

/// <summary>
/// <c>random-feature</c>: one-pass SGD on power-law random-feature linear regression, the model of
/// the random-feature schedules paper (digest <c>random-feature-schedules.md</c>), evolved
/// deterministically in expectation over the modes of the feature covariance.
/// <para>
/// Mode k has eigenvalue <c>λ_k = k^(−b)</c> (b = <c>capacity</c>) and target power
/// <c>λ_k (w*_k)² = k^(−a)</c> (a = <c>source</c>). The learner has N features (the model size): modes
/// k &gt; N are never learned and keep their power <c>ζ(a, N+1)</c>. With <c>e_k = E[(w_k − w*_k)²]</c>,
/// <code>
/// L(t)     = ½ P(t) + ½ ζ(a, N+1) + ½ σ²,   P(t) = Σ_{k≤N} λ_k e_k(t)
/// e_k(t+1) = (1 − ηλ_k)² e_k + (η²/B) λ_k (P + λ_k e_k + σ² + ζ(a, N+1))
/// </code>
/// the contraction of each mode plus the SGD noise, which couples every mode to the total loss
/// through P (a dot product once per step, then an O(N) update). e_k(0) = (w*_k)² = k^(b−a).
/// </para>
/// Deterministic (no random numbers; the seed is recorded, not used); the SIMD path updates
/// element-wise at any width and sums with fixed 4-lane vectors (<see cref="Dot"/>), so every silo
/// adds in the same order.
/// </summary>
public sealed class RandomFeature : SteppedKernel
{
    public override SimulatorInfo Info { get; } = new(
        "random-feature",
        "One-pass SGD on power-law random-feature regression: mode-wise expected errors with the SGD noise coupling",
        [
            new("capacity", 1.5, 1.0001, 6.0, "b: feature-covariance eigenvalues λ_k = k^(-b)"),
            new("source", 2.0, 1.0001, 12.0, "a: target power per mode λ_k (w*_k)² = k^(-a)"),
            new("noise", 0.0, 0.0, 1e6, "σ²: label-noise variance"),
            new("batch_size", 1.0, 1.0, 1e9, "B: samples per SGD step", WholeNumber: true),
        ],
        MinModelSize: 1,
        MaxModelSize: 1 << 24,
        ModelSizeIsCount: true);

    protected override KernelState Start(KernelRun run, bool vectorised)
    {
        var model = Model.From(run);
        return new State(model, model.InitialErrors(), vectorised);
    }

    /// <summary>The expected error e of every mode; the model is shared by copies, never changed.</summary>
    private sealed class State(Model model, double[] e, bool vectorised) : KernelState
    {
        public override long Bytes => 8L * e.Length;

        public override double Loss() => 0.5 * (Power() + model.Unlearnable + model.Noise);

        protected override void Update(double eta)
        {
            var noiseScale = eta * eta / model.Batch;
            var step = new Step(eta, noiseScale, noiseScale * (Power() + model.Noise + model.Unlearnable));
            if (vectorised)
            {
                Elementwise.Update(e, model.Lambda, step);
            }
            else
            {
                Elementwise.UpdateScalar(e, model.Lambda, step);
            }
        }

        protected override KernelState Clone() => new State(model, (double[])e.Clone(), vectorised);

        /// <summary>P = Σ λ_k e_k, the loss the SGD noise couples every mode to.</summary>
        private double Power() => vectorised ? Dot.Vectorised(model.Lambda, e) : Dot.Scalar(model.Lambda, e);
    }

    /// <summary>
    /// <c>e_k ← ((1 − ηλ_k)² + s·λ_k²) e_k + c·λ_k</c> with s = η²/B and c = s·(P + σ² + tail): one
    /// mode's expected error after one step (P, the coupling, is computed once per step).
    /// </summary>
    public readonly record struct Step(double Eta, double NoiseScale, double Coupling) : IElementwiseUpdate
    {
        public double Apply(double e, double lambda)
        {
            var c = 1 - Eta * lambda;
            return (c * c + NoiseScale * lambda * lambda) * e + Coupling * lambda;
        }

        public Vector128<double> Apply(Vector128<double> e, Vector128<double> lambda)
        {
            var c = Vector128<double>.One - Vector128.Create(Eta) * lambda;
            return (c * c + Vector128.Create(NoiseScale) * lambda * lambda) * e + Vector128.Create(Coupling) * lambda;
        }

        public Vector256<double> Apply(Vector256<double> e, Vector256<double> lambda)
        {
            var c = Vector256<double>.One - Vector256.Create(Eta) * lambda;
            return (c * c + Vector256.Create(NoiseScale) * lambda * lambda) * e + Vector256.Create(Coupling) * lambda;
        }

        public Vector512<double> Apply(Vector512<double> e, Vector512<double> lambda)
        {
            var c = Vector512<double>.One - Vector512.Create(Eta) * lambda;
            return (c * c + Vector512.Create(NoiseScale) * lambda * lambda) * e + Vector512.Create(Coupling) * lambda;
        }
    }

    /// <summary>The run's spectrum, target and the loss no step removes.</summary>
    internal sealed class Model
    {
        private double _a;
        private double _b;

        public double[] Lambda { get; private init; } = [];

        /// <summary>ζ(a, N+1): the target power of the modes beyond the model.</summary>
        public double Unlearnable { get; private init; }

        public double Noise { get; private init; }

        public double Batch { get; private init; }

        public static Model From(KernelRun run) => From(run.ModelSize, run.Options);

        public static Model From(double modelSize, IReadOnlyDictionary<string, double> options)
        {
            var n = (int)modelSize;
            double Option(string name, double fallback) => options.TryGetValue(name, out var value) ? value : fallback;
            double b = Option("capacity", 1.5), a = Option("source", 2.0);
            var lambda = new double[n];
            for (var k = 0; k < n; k++)
            {
                lambda[k] = Math.Pow(k + 1, -b);
            }

            return new Model
            {
                _a = a,
                _b = b,
                Lambda = lambda,
                Unlearnable = PowerSums.Tail(a, n + 1L),
                Noise = Option("noise", 0.0),
                Batch = Option("batch_size", 1.0),
            };
        }

        /// <summary><c>e_k(0) = (w*_k)² = k^(−a)/λ_k = k^(b−a)</c>: the learner starts at zero.</summary>
        public double[] InitialErrors()
        {
            var e = new double[Lambda.Length];
            for (var k = 0; k < e.Length; k++)
            {
                e[k] = Math.Pow(k + 1, _b - _a);
            }

            return e;
        }
    }
}
