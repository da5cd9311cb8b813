using System.Runtime.Intrinsics;
using Sweeps.Core.Simulators;

namespace Sweeps.Kernels;

/// <summary>
/// <c>quadratic</c>: SGD on a noisy quadratic model, simulated exactly in expectation.
/// <para>
/// The loss is <c>f(x) = ½ Σ_i λ_i x_i²</c> in the Hessian's eigenbasis with a power-law spectrum
/// <c>λ_i = λ_max · i^(-a)</c>. SGD sees <c>∇f + z</c> with Gaussian noise of variance
/// <c>s_i = σ² λ_i / B</c> per direction (noise shaped like the curvature, as in the noisy
/// quadratic model). Per direction the mean contracts by <c>1 − ηλ_i</c> and the variance follows
/// <c>V ← (1 − ηλ_i)² V + η² s_i</c> (Opt-Laws digest §2.4, the discrete-SGD variance recursion, which
/// is exact on a quadratic), so the second moment <c>u_i = E[x_i²]</c> obeys
/// <c>u_i ← (1 − ηλ_i)² u_i + η² s_i</c> and the expected loss is <c>½ Σ λ_i u_i</c>.
/// </para>
/// <para>
/// Model size N = the number of directions the model can learn. The target puts loss
/// <c>½ i^(-b)</c> on direction i at initialisation; directions beyond N are never learned and keep
/// theirs (<c>½ ζ(b, N+1)</c>, the approximation error), and an irreducible loss is added on top,
/// so <c>L = E + ½ Σ_{i≤N} λ_i u_i + ½ Σ_{i&gt;N} i^(-b)</c> has the shape of a scaling law in N
/// and in the training horizon.
/// </para>
/// The kernel is deterministic: it draws no random numbers (the seed is recorded, not used), and
/// its SIMD path updates element-wise at any width (<see cref="Elementwise"/>) and sums with fixed
/// 4-lane vectors (<see cref="Dot"/>), so every machine adds in the same order.
/// </summary>
public sealed class Quadratic : SteppedKernel
{
    public override SimulatorInfo Info { get; } = new(
        "quadratic",
        "SGD on a quadratic with a power-law Hessian spectrum and Gaussian gradient noise, exact mean/variance recursions",
        [
            new("spectrum_exponent", 1.0, 0.0, 4.0, "a: eigenvalues λ_i = λ_max · i^(-a)"),
            new("max_curvature", 1.0, 1e-6, 1e6, "λ_max, the largest eigenvalue (SGD is stable for η < 2/λ_max)"),
            new("target_exponent", 1.5, 1.0001, 6.0, "b: direction i holds loss ½ i^(-b) at initialisation"),
            new("noise", 1.0, 0.0, 1e6, "σ²: gradient-noise variance per unit curvature"),
            new("batch_size", 1.0, 1.0, 1e9, "B: noise variance is divided by B", WholeNumber: true),
            new("irreducible_loss", 1.0, 0.0, 1e6, "E: loss no model size or horizon removes"),
        ],
        MinModelSize: 1,
        MaxModelSize: 1 << 24,
        ModelSizeIsCount: true);

    protected override KernelState Start(KernelRun run, bool vectorised)
    {
        var model = Model.From(run);
        return new State(model, model.InitialSecondMoments(), vectorised);
    }

    /// <summary>The second moments u of every direction; the model is shared by copies, never changed.</summary>
    private sealed class State(Model model, double[] u, bool vectorised) : KernelState
    {
        public override long Bytes => 8L * u.Length;

        public override double Loss() => model.Loss(u, vectorised);

        protected override void Update(double eta)
        {
            var step = new Step(eta, eta * eta * model.NoisePerCurvature);
            if (vectorised)
            {
                Elementwise.Update(u, model.Lambda, step);
            }
            else
            {
                Elementwise.UpdateScalar(u, model.Lambda, step);
            }
        }

        protected override KernelState Clone() => new State(model, (double[])u.Clone(), vectorised);
    }

    /// <summary><c>u_i ← (1 − ηλ_i)² u_i + η²(σ²/B)·λ_i</c>: the second moment of direction i after one step.</summary>
    public readonly record struct Step(double Eta, double NoiseScale) : IElementwiseUpdate
    {
        public double Apply(double u, double lambda)
        {
            var c = 1 - Eta * lambda;
            return c * c * u + NoiseScale * lambda;
        }

        public Vector128<double> Apply(Vector128<double> u, Vector128<double> lambda)
        {
            var c = Vector128<double>.One - Vector128.Create(Eta) * lambda;
            return c * c * u + Vector128.Create(NoiseScale) * lambda;
        }

        public Vector256<double> Apply(Vector256<double> u, Vector256<double> lambda)
        {
            var c = Vector256<double>.One - Vector256.Create(Eta) * lambda;
            return c * c * u + Vector256.Create(NoiseScale) * lambda;
        }

        public Vector512<double> Apply(Vector512<double> u, Vector512<double> lambda)
        {
            var c = Vector512<double>.One - Vector512.Create(Eta) * lambda;
            return c * c * u + Vector512.Create(NoiseScale) * lambda;
        }
    }

    /// <summary>The run's spectrum, noise and the loss it cannot remove.</summary>
    private sealed class Model
    {
        private double[] _initialPower = [];

        public double[] Lambda { get; private init; } = [];

        /// <summary>σ²/B: the gradient-noise variance of a direction is this times its curvature.</summary>
        public double NoisePerCurvature { get; private init; }

        /// <summary>E plus the loss of the unlearnable directions.</summary>
        public double Floor { get; private init; }

        public static Model From(KernelRun run)
        {
            var n = (int)run.ModelSize;
            double a = run.Option("spectrum_exponent", 1.0), maxCurvature = run.Option("max_curvature", 1.0);
            double b = run.Option("target_exponent", 1.5), sigma2 = run.Option("noise", 1.0);
            double batch = run.Option("batch_size", 1.0), irreducible = run.Option("irreducible_loss", 1.0);
            var lambda = new double[n];
            var power = new double[n];
            for (var i = 0; i < n; i++)
            {
                lambda[i] = maxCurvature * Math.Pow(i + 1, -a);
                power[i] = Math.Pow(i + 1, -b);
            }

            return new Model
            {
                Lambda = lambda,
                NoisePerCurvature = sigma2 / batch,
                _initialPower = power,
                Floor = irreducible + 0.5 * PowerSums.Tail(b, n + 1L),
            };
        }

        /// <summary><c>u_i(0)</c> such that direction i starts with loss ½ i^(-b).</summary>
        public double[] InitialSecondMoments()
        {
            var u = new double[Lambda.Length];
            for (var i = 0; i < u.Length; i++)
            {
                u[i] = _initialPower[i] / Lambda[i];
            }

            return u;
        }

        public double Loss(ReadOnlySpan<double> u, bool vectorised) =>
            Floor + 0.5 * (vectorised ? Dot.Vectorised(Lambda, u) : Dot.Scalar(Lambda, u));
    }
}
