namespace Sweeps.Laws.Curves;

/// <summary>
/// The momentum law of Tissue et al., the multi-power-law paper's main baseline (digest §1.4):
/// <c>L(s) = L0 + A·S(s)^(−α) − C·S2(s)</c> with the annealing momentum
/// <c>S2(s) = Σ_{k=1..s} (η_{k−1} − η_k)(1 − λ^(s−k+1))/(1 − λ)</c>, computed in O(T) by the recursion
/// <c>m_i = λ m_{i−1} + (η_{i−1} − η_i)</c>, <c>S2 = Σ_{i≤s} m_i</c>. λ is fixed per instance (the paper
/// grid-searches it); the LR array is the whole schedule, warmup included, as for the MPL.
/// </summary>
public sealed class MomentumLaw(double lambda) : ICurveLaw
{
    public const string LawName = Sweeps.Core.Specs.KnownLaws.Momentum;

    /// <summary>The paper's grid for λ.</summary>
    public static readonly double[] LambdaGrid = [0.95, 0.99, 0.995, 0.999, 0.9995];

    public double Lambda { get; } = lambda > 0 && lambda < 1 ? lambda : throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must be in (0, 1)");

    public string Name => LawName;

    public IReadOnlyList<string> ParameterNames { get; } = ["L0", "A", "alpha", "C"];

    public void Evaluate(ReadOnlySpan<double> parameters, MplCurve curve, Span<double> predictions, Span<double> jacobian)
    {
        double l0 = parameters[0], a = parameters[1], alpha = parameters[2], c = parameters[3];
        var s2 = Momentum(curve);
        for (var i = 0; i < curve.Steps.Length; i++)
        {
            var power = Math.Pow(curve.AreaAt[i], -alpha);
            predictions[i] = l0 + a * power - c * s2[i];
            if (!jacobian.IsEmpty)
            {
                jacobian[i * 4] = 1;
                jacobian[i * 4 + 1] = power;
                jacobian[i * 4 + 2] = -a * power * Math.Log(curve.AreaAt[i]);
                jacobian[i * 4 + 3] = -s2[i];
            }
        }
    }

    /// <summary>S2 at the curve's steps.</summary>
    public double[] Momentum(MplCurve curve)
    {
        var lr = curve.LearningRates;
        var result = new double[curve.Steps.Length];
        double m = 0, s2 = 0;
        var next = 0;
        for (var i = 0; i < lr.Length && next < result.Length; i++)
        {
            if (i > 0)
            {
                m = Lambda * m + (lr[i - 1] - lr[i]);
                s2 += m;
            }

            while (next < result.Length && curve.Steps[next] == i)
            {
                result[next++] = s2;
            }
        }

        return result;
    }
}
