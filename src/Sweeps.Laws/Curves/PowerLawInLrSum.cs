namespace Sweeps.Laws.Curves;

/// <summary>
/// The baseline with no annealing term: <c>L(s) = L0 + A·S(s)^(−α)</c>, S the LR sum (the multi-power
/// law with B = 0; the paper's "OPL"). It cannot see a decay, which is the point of comparing with it.
/// </summary>
public sealed class PowerLawInLrSum : ICurveLaw
{
    public const string LawName = Sweeps.Core.Specs.KnownLaws.Power;

    public string Name => LawName;

    public IReadOnlyList<string> ParameterNames { get; } = ["L0", "A", "alpha"];

    public void Evaluate(ReadOnlySpan<double> parameters, MplCurve curve, Span<double> predictions, Span<double> jacobian)
    {
        double l0 = parameters[0], a = parameters[1], alpha = parameters[2];
        for (var i = 0; i < curve.Steps.Length; i++)
        {
            var power = Math.Pow(curve.AreaAt[i], -alpha);
            predictions[i] = l0 + a * power;
            if (!jacobian.IsEmpty)
            {
                jacobian[i * 3] = 1;
                jacobian[i * 3 + 1] = power;
                jacobian[i * 3 + 2] = -a * power * Math.Log(curve.AreaAt[i]);
            }
        }
    }
}
