using System.Runtime.Intrinsics;
using Sweeps.Core.Simulators;

namespace Sweeps.Kernels;

/// <summary>
/// <c>river-valley</c>: SGD on the river-valley landscape of Wen et al. (Definition 3.1 and the
/// quadratic example <c>γx₁²/2 − x₂</c>, generalised as the issue asks), in expectation and exactly.
/// <para>
/// d directions (the model size): d − 1 hills with curvatures <c>γ_i = γ·i^(−p)</c>
/// (<c>hill_curvature</c> γ, <c>hill_spread</c> p) and one river coordinate y. The loss is
/// <c>L = Σ_i γ_i x_i²/2 + R(y)</c> with the river profile <c>R(y) = E + A(1 + y)^(−α)</c>: a flat,
/// curved-down river whose loss falls as a power law of the progress along it. As in the paper's
/// eq. (4), the gradient noise <c>N(0, σ²(I − v vᵀ))</c> acts on the hills only, so the river
/// coordinate follows gradient descent exactly (<c>y ← y − ηR'(y)</c>) and each hill's second moment
/// obeys <c>u_i ← (1 − ηγ_i)² u_i + η²σ²</c> (the paper's App. C: σ_k = (1 − η_kγ)²σ_{k−1} + η_k²σ²).
/// The expected loss is <c>R(y) + Σ γ_i u_i / 2</c>; the iterate starts on the river (u = 0, y = 0).
/// </para>
/// <para>
/// At constant η each hill settles at <c>ησ²/(2(2 − ηγ_i))</c>, so the hill component is
/// ≈ (d − 1)ησ²/4 for small ηγ: linear in η, as Theorem 3.4 says (the theorem writes (d − 1)ησ²/2;
/// the exact stationary variance of its own recursion, ησ²/(2γ − ηγ²), gives the ¼). Decaying the
/// LR drains the hills within ~1/(ηγ) steps while the river keeps moving: WSD's sharp drop.
/// A larger model (more hill directions) pays a larger hill term, so its best LR is lower.
/// </para>
/// Deterministic (no random numbers); the SIMD path updates element-wise at any width and sums in
/// <see cref="Dot"/>'s fixed order.
/// </summary>
public sealed class RiverValley : SteppedKernel
{
    public override SimulatorInfo Info { get; } = new(
        "river-valley",
        "SGD on a river-valley landscape: d − 1 noisy hill directions around a flat river with a power-law loss profile, exact in expectation",
        [
            new("hill_curvature", 1.0, 1e-6, 1e6, "γ: curvature of the steepest hill (SGD is stable for η < 2/γ)"),
            new("hill_spread", 0.0, 0.0, 4.0, "p: hill i has curvature γ·i^(-p) (0: all alike)"),
            new("noise", 0.1, 0.0, 1e6, "σ²: gradient-noise variance in each hill direction"),
            new("river_amplitude", 1.0, 0.0, 1e6, "A: the river's loss above E at the start"),
            new("river_exponent", 0.5, 0.01, 10.0, "α: the river loss falls as A(1 + y)^(-α)"),
            new("irreducible_loss", 1.0, 0.0, 1e6, "E: the river's floor"),
        ],
        MinModelSize: 1,
        MaxModelSize: 1 << 24,
        ModelSizeIsCount: true);

    protected override KernelState Start(KernelRun run, bool vectorised)
    {
        var d = (int)run.ModelSize;
        double gamma = run.Option("hill_curvature", 1.0), spread = run.Option("hill_spread", 0.0);
        var curvature = new double[d - 1];
        for (var i = 0; i < curvature.Length; i++)
        {
            curvature[i] = gamma * Math.Pow(i + 1, -spread);
        }

        var landscape = new Landscape(curvature, run.Option("noise", 0.1), run.Option("river_amplitude", 1.0), run.Option("river_exponent", 0.5), run.Option("irreducible_loss", 1.0));
        return new State(landscape, new double[d - 1], 0.0, vectorised); // on the river: u = 0, y = 0
    }

    /// <summary>The hills' curvatures and noise and the river's profile: fixed for a run.</summary>
    private sealed record Landscape(double[] Curvature, double Noise, double Amplitude, double Exponent, double Floor);

    /// <summary>The hills' second moments u and the river coordinate y.</summary>
    private sealed class State(Landscape landscape, double[] u, double y, bool vectorised) : KernelState
    {
        public override long Bytes => 8L * u.Length;

        public override double Loss() =>
            landscape.Floor + landscape.Amplitude * Math.Pow(1 + y, -landscape.Exponent)
            + 0.5 * (vectorised ? Dot.Vectorised(landscape.Curvature, u) : Dot.Scalar(landscape.Curvature, u));

        protected override void Update(double eta)
        {
            // −R'(y) = Aα(1 + y)^(−α−1): the river's downhill slope, taken exactly (no noise along it).
            y += eta * landscape.Amplitude * landscape.Exponent * Math.Pow(1 + y, -landscape.Exponent - 1);
            var hills = new HillStep(eta, eta * eta * landscape.Noise);
            if (vectorised)
            {
                Elementwise.Update(u, landscape.Curvature, hills);
            }
            else
            {
                Elementwise.UpdateScalar(u, landscape.Curvature, hills);
            }
        }

        protected override KernelState Clone() => new State(landscape, (double[])u.Clone(), y, vectorised);
    }

    /// <summary><c>u_i ← (1 − ηγ_i)² u_i + η²σ²</c>: a hill's second moment after one step.</summary>
    public readonly record struct HillStep(double Eta, double Noise) : IElementwiseUpdate
    {
        public double Apply(double u, double gamma)
        {
            var c = 1 - Eta * gamma;
            return c * c * u + Noise;
        }

        public Vector128<double> Apply(Vector128<double> u, Vector128<double> gamma)
        {
            var c = Vector128<double>.One - Vector128.Create(Eta) * gamma;
            return c * c * u + Vector128.Create(Noise);
        }

        public Vector256<double> Apply(Vector256<double> u, Vector256<double> gamma)
        {
            var c = Vector256<double>.One - Vector256.Create(Eta) * gamma;
            return c * c * u + Vector256.Create(Noise);
        }

        public Vector512<double> Apply(Vector512<double> u, Vector512<double> gamma)
        {
            var c = Vector512<double>.One - Vector512.Create(Eta) * gamma;
            return c * c * u + Vector512.Create(Noise);
        }
    }
}
