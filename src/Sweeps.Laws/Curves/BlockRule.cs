using System.Collections.Concurrent;

namespace Sweeps.Laws.Curves;

/// <summary>
/// A discrete quadrature rule for Σ_{t=0}^{L−1} f(t) over L consecutive integers: f is sampled at
/// <see cref="NodeCount"/> integer offsets (Gauss–Legendre nodes rounded to integers) and the weights
/// make the rule exact for every polynomial of degree below <see cref="NodeCount"/>. For f analytic in
/// a Bernstein ellipse of parameter ρ around the block, the error falls like ρ^(−NodeCount); the
/// callers sum with it only where ρ is large (<see cref="MplSumBlocks"/>).
/// </summary>
internal sealed class BlockRule
{
    public const int NodeCount = 8;

    /// <summary>The shortest block a rule is built for: shorter stretches are cheaper summed term by term.</summary>
    public const int MinimumLength = 32;

    // Gauss–Legendre nodes of order 8 on [−1, 1].
    private static readonly double[] GaussNodes =
        [-0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498,
          0.1834346424956498,  0.5255324099163290,  0.7966664774136267,  0.9602898564975363];

    private static readonly ConcurrentDictionary<int, BlockRule> Cache = new();

    private BlockRule(int[] offsets, double[] weights, double[] barycentric)
    {
        Offsets = offsets;
        Weights = weights;
        Barycentric = barycentric;
    }

    /// <summary>The integer offsets t_i ∈ [0, L) where f is sampled.</summary>
    public int[] Offsets { get; }

    /// <summary>w_i with Σ_t p(t) = Σ_i w_i p(t_i) for every polynomial p of degree &lt; <see cref="NodeCount"/>.</summary>
    public double[] Weights { get; }

    /// <summary>Barycentric weights of the interpolant through the nodes, for <see cref="Interpolates"/>.</summary>
    private double[] Barycentric { get; }

    public static BlockRule For(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, MinimumLength);
        return Cache.GetOrAdd(length, Build);
    }

    /// <summary>
    /// Whether the polynomial through the nodes reproduces every value of <paramref name="values"/>
    /// (one per offset) within <paramref name="tolerance"/>: the test that a block of a schedule is smooth
    /// enough for the rule.
    /// </summary>
    public bool Interpolates(ReadOnlySpan<double> values, double tolerance)
    {
        Span<double> nodeValues = stackalloc double[NodeCount];
        for (var i = 0; i < NodeCount; i++)
        {
            nodeValues[i] = values[Offsets[i]];
        }

        for (var t = 0; t < values.Length; t++)
        {
            double numerator = 0, denominator = 0;
            var exact = -1;
            for (var i = 0; i < NodeCount && exact < 0; i++)
            {
                if (Offsets[i] == t)
                {
                    exact = i;
                    break;
                }

                var c = Barycentric[i] / (t - Offsets[i]);
                numerator += c * nodeValues[i];
                denominator += c;
            }

            if (exact < 0 && !(Math.Abs(numerator / denominator - values[t]) <= tolerance))
            {
                return false;
            }
        }

        return true;
    }

    private static BlockRule Build(int length)
    {
        var half = (length - 1) / 2.0;
        var offsets = GaussNodes.Select(x => (int)Math.Round(half * (1 + x))).ToArray();
        var barycentric = offsets.Select((o, i) => 1 / offsets.Where((_, j) => j != i).Aggregate(1.0, (product, other) => product * (o - other) / half)).ToArray();
        // The interpolatory weights: w_i = Σ_t ℓ_i(t), ℓ_i the Lagrange basis through the nodes, each
        // ℓ_i(t) from the barycentric formula (stable, and no linear solve in a process's first second).
        var weights = new double[NodeCount];
        Span<double> terms = stackalloc double[NodeCount];
        for (var t = 0; t < length; t++)
        {
            var node = Array.IndexOf(offsets, t);
            if (node >= 0)
            {
                weights[node] += 1;
                continue;
            }

            var denominator = 0.0;
            for (var i = 0; i < NodeCount; i++)
            {
                terms[i] = barycentric[i] / (t - offsets[i]);
                denominator += terms[i];
            }

            for (var i = 0; i < NodeCount; i++)
            {
                weights[i] += terms[i] / denominator;
            }
        }

        return new BlockRule(offsets, weights, barycentric);
    }
}
