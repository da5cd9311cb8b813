using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Sweeps.Core.Simulators;

namespace Sweeps.Kernels;

/// <summary>
/// <c>bigram-lm</c>: a real stochastic training run of the river-valley paper's toy bigram language
/// model (§4; <see cref="BigramLanguage"/>). The model is Θ ∈ R^{n×m}, p(name | city i) =
/// softmax(Θ_i), trained from Θ = 0 on mini-batches of (city, name) pairs sampled from the language
/// (city uniform, name from P_city) with cross-entropy, by SGD or AdamW (β = 0.9, 0.999, ε = 1e-8,
/// decoupled weight decay). The curve records the exact population loss
/// <c>(1/n) Σ_i −Σ_j P_ij log softmax(Θ_i)_j</c>, whose floor is the mean conditional entropy.
/// Model size = the number of cities.
/// <para>
/// Sampling uses <see cref="SplitMix64"/> seeded by the run's seed (the language by
/// <c>language_seed</c>), so a run is the same on every silo. The SIMD path vectorises the
/// optimiser's update over all n·m parameters (four lanes, the scalar's exact operations, so both
/// paths give the same bits); the per-sample softmax gradients are scalar in both.
/// </para>
/// </summary>
public sealed class BigramLm : SteppedKernel
{
    public override SimulatorInfo Info { get; } = new(
        "bigram-lm",
        "Real mini-batch training of a softmax bigram model on the river-valley paper's toy city/name language (SGD or AdamW)",
        [
            new("names", 10, 3, 1000, "m: names per city", WholeNumber: true),
            new("stochastic_fraction", 0.5, 0.0, 1.0, "share of stochastic cities (entropy > 1); the rest are deterministic (entropy < 0.2)"),
            new("batch_size", 32, 1, 1e6, "B: (city, name) samples per step", WholeNumber: true),
            new("adam", 1, 0, 1, "1: AdamW, 0: SGD", WholeNumber: true),
            new("weight_decay", 0.0, 0.0, 10.0, "decoupled weight decay (AdamW) or L2 shrinkage (SGD) per unit LR"),
            new("language_seed", 0, 0, 1e9, "seed of the language (P), separate from the run's sampling seed", WholeNumber: true),
        ],
        MinModelSize: 1,
        MaxModelSize: 1 << 20,
        ModelSizeIsCount: true);

    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;
    private const double Epsilon = 1e-8;

    protected override KernelState Start(KernelRun run, bool vectorised)
    {
        var n = (int)run.ModelSize;
        var m = (int)run.Option("names", 10);
        var setup = new Setup(
            BigramLanguage.Create(n, m, run.Option("stochastic_fraction", 0.5), (ulong)run.Option("language_seed", 0)),
            (int)run.Option("batch_size", 32), run.Option("adam", 1) >= 0.5, run.Option("weight_decay", 0.0), vectorised);
        var adamState = setup.Adam ? n * m : 0;
        return new State(setup, new SplitMix64((ulong)(uint)run.Seed ^ 0x5EED5EED5EED5EEDUL), new double[n * m], new double[adamState], new double[adamState]);
    }

    /// <summary>What a run fixes: the language, the batch, the optimiser.</summary>
    private sealed record Setup(BigramLanguage Language, int Batch, bool Adam, double Decay, bool Vectorised);

    /// <summary>Θ, AdamW's moments and the sampler; the gradient and the batch bookkeeping are scratch, rebuilt each step.</summary>
    private sealed class State(Setup setup, SplitMix64 random, double[] theta, double[] first, double[] second) : KernelState
    {
        private readonly double[] _gradient = new double[theta.Length];
        private readonly List<int> _touched = new(setup.Batch);
        private readonly bool[] _isTouched = new bool[setup.Language.Cities];
        private readonly double[] _probabilities = new double[setup.Language.Names];
        private SplitMix64 _random = random;

        public override long Bytes => 8L * (theta.Length + first.Length + second.Length);

        public override double Loss() => PopulationLoss(setup.Language, theta);

        protected override void Update(double eta)
        {
            var (n, m) = (setup.Language.Cities, setup.Language.Names);
            for (var b = 0; b < setup.Batch; b++)
            {
                var city = _random.NextInt(n);
                var name = setup.Language.Name(city, _random.NextDouble());
                Softmax(theta.AsSpan(city * m, m), _probabilities);
                var row = _gradient.AsSpan(city * m, m);
                for (var j = 0; j < m; j++)
                {
                    row[j] += (_probabilities[j] - (j == name ? 1 : 0)) / setup.Batch;
                }

                if (!_isTouched[city])
                {
                    _isTouched[city] = true;
                    _touched.Add(city);
                }
            }

            if (setup.Adam)
            {
                var t = Step + 1; // Adam counts its steps from 1
                var (c1, c2) = (1 - Math.Pow(Beta1, t), 1 - Math.Pow(Beta2, t));
                if (setup.Vectorised)
                {
                    AdamWVectorised(theta, _gradient, first, second, eta, setup.Decay, c1, c2);
                }
                else
                {
                    AdamWScalar(theta, _gradient, first, second, eta, setup.Decay, c1, c2);
                }
            }
            else
            {
                Sgd(theta, _gradient, _touched, m, eta, setup.Decay);
            }

            foreach (var city in _touched)
            {
                _gradient.AsSpan(city * m, m).Clear();
                _isTouched[city] = false;
            }

            _touched.Clear();
        }

        protected override KernelState Clone() =>
            new State(setup, _random, (double[])theta.Clone(), (double[])first.Clone(), (double[])second.Clone());
    }

    /// <summary>The exact population cross-entropy of the model: (1/n) Σ_i −Σ_j P_ij log softmax(Θ_i)_j.</summary>
    public static double PopulationLoss(BigramLanguage language, ReadOnlySpan<double> theta)
    {
        var m = language.Names;
        var total = 0.0;
        for (var i = 0; i < language.Cities; i++)
        {
            var row = theta.Slice(i * m, m);
            var logNormaliser = LogSumExp(row);
            var loss = 0.0;
            for (var j = 0; j < m; j++)
            {
                loss -= language.Probabilities[i * m + j] * (row[j] - logNormaliser);
            }

            total += loss;
        }

        return total / language.Cities;
    }

    /// <summary>
    /// AdamW on every parameter, one at a time (the reference), in PyTorch's arrangement: with bias
    /// corrections c1 = 1 − β1^t and c2 = 1 − β2^t,
    /// <c>θ ← θ − η·wd·θ − (η/c1)·m / (√v / √c2 + ε)</c>, one square root and one division a parameter.
    /// </summary>
    public static void AdamWScalar(Span<double> theta, ReadOnlySpan<double> gradient, Span<double> first, Span<double> second, double eta, double decay, double c1, double c2)
    {
        double stepSize = eta / c1, inverseRootC2 = 1 / Math.Sqrt(c2), shrink = eta * decay;
        for (var k = 0; k < theta.Length; k++)
        {
            var g = gradient[k];
            first[k] = Beta1 * first[k] + (1 - Beta1) * g;
            second[k] = Beta2 * second[k] + (1 - Beta2) * g * g;
            theta[k] = theta[k] - shrink * theta[k] - stepSize * first[k] / (Math.Sqrt(second[k]) * inverseRootC2 + Epsilon);
        }
    }

    /// <summary>The same update four parameters at a time: only +, −, ×, ÷ and √, so every element gets the scalar's bits.</summary>
    public static void AdamWVectorised(Span<double> theta, ReadOnlySpan<double> gradient, Span<double> first, Span<double> second, double eta, double decay, double c1, double c2)
    {
        ref var t = ref MemoryMarshal.GetReference(theta);
        ref var g = ref MemoryMarshal.GetReference(gradient);
        ref var f = ref MemoryMarshal.GetReference(first);
        ref var s = ref MemoryMarshal.GetReference(second);
        Vector256<double> beta1 = Vector256.Create(Beta1), oneMinusBeta1 = Vector256.Create(1 - Beta1);
        Vector256<double> beta2 = Vector256.Create(Beta2), oneMinusBeta2 = Vector256.Create(1 - Beta2);
        Vector256<double> stepSize = Vector256.Create(eta / c1), inverseRootC2 = Vector256.Create(1 / Math.Sqrt(c2));
        Vector256<double> shrink = Vector256.Create(eta * decay), epsilon = Vector256.Create(Epsilon);
        var k = 0;
        for (; k <= theta.Length - Vector256<double>.Count; k += Vector256<double>.Count)
        {
            var gk = Vector256.LoadUnsafe(ref g, (nuint)k);
            var fk = beta1 * Vector256.LoadUnsafe(ref f, (nuint)k) + oneMinusBeta1 * gk;
            var sk = beta2 * Vector256.LoadUnsafe(ref s, (nuint)k) + oneMinusBeta2 * gk * gk;
            var tk = Vector256.LoadUnsafe(ref t, (nuint)k);
            tk = tk - shrink * tk - stepSize * fk / (Vector256.Sqrt(sk) * inverseRootC2 + epsilon);
            fk.StoreUnsafe(ref f, (nuint)k);
            sk.StoreUnsafe(ref s, (nuint)k);
            tk.StoreUnsafe(ref t, (nuint)k);
        }

        AdamWScalar(theta[k..], gradient[k..], first[k..], second[k..], eta, decay, c1, c2);
    }

    /// <summary>SGD: only the rows the batch touched move, unless weight decay shrinks every parameter.</summary>
    private static void Sgd(double[] theta, double[] gradient, List<int> touched, int m, double eta, double decay)
    {
        if (decay > 0)
        {
            for (var k = 0; k < theta.Length; k++)
            {
                theta[k] -= eta * decay * theta[k];
            }
        }

        foreach (var city in touched)
        {
            for (var k = city * m; k < (city + 1) * m; k++)
            {
                theta[k] -= eta * gradient[k];
            }
        }
    }

    private static void Softmax(ReadOnlySpan<double> logits, Span<double> probabilities)
    {
        var max = double.NegativeInfinity;
        foreach (var x in logits)
        {
            max = Math.Max(max, x);
        }

        var sum = 0.0;
        for (var j = 0; j < logits.Length; j++)
        {
            probabilities[j] = Math.Exp(logits[j] - max);
            sum += probabilities[j];
        }

        for (var j = 0; j < logits.Length; j++)
        {
            probabilities[j] /= sum;
        }
    }

    private static double LogSumExp(ReadOnlySpan<double> logits)
    {
        var max = double.NegativeInfinity;
        foreach (var x in logits)
        {
            max = Math.Max(max, x);
        }

        var sum = 0.0;
        foreach (var x in logits)
        {
            sum += Math.Exp(x - max);
        }

        return max + Math.Log(sum);
    }
}
