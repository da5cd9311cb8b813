namespace Sweeps.Laws.Curves;

/// <summary>The multi-power law as an <see cref="ICurveLaw"/>, parameters in <see cref="MultiPowerLawParameters.Names"/> order.</summary>
public sealed class MplLaw : ICurveLaw
{
    public static MplLaw Instance { get; } = new();

    public string Name => MultiPowerLaw.LawName;

    public IReadOnlyList<string> ParameterNames => MultiPowerLawParameters.Names;

    public void Evaluate(ReadOnlySpan<double> parameters, MplCurve curve, Span<double> predictions, Span<double> jacobian) =>
        MultiPowerLaw.Evaluate(From(parameters), curve, predictions, jacobian);

    public static MultiPowerLawParameters From(ReadOnlySpan<double> p) => new(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);

    public static double[] ToArray(MultiPowerLawParameters p) => [p.L0, p.A, p.Alpha, p.B, p.C, p.Beta, p.Gamma];
}
