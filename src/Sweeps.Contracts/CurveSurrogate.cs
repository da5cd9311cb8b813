using Sweeps.Core.Curves;

namespace Sweeps.Contracts;

/// <summary>
/// How Orleans carries a <see cref="Curve"/>, in messages and in grain state: its arrays as
/// binary, not through the JSON fallback used for other library types. A run's curve is the
/// largest thing a sweep moves; as JSON it cost a fifth of the silo's CPU time in a sweep of
/// small runs (docs/benchmarks.md).
/// </summary>
[GenerateSerializer, Alias("sweeps.curve")]
public struct CurveSurrogate
{
    [Id(0)] public int[] Steps;
    [Id(1)] public double[] Lr;
    [Id(2)] public double[] Loss;
    [Id(3)] public Dictionary<string, double[]>? Extra;
}

[RegisterConverter]
public sealed class CurveSurrogateConverter : IConverter<Curve, CurveSurrogate>
{
    public Curve ConvertFromSurrogate(in CurveSurrogate surrogate) =>
        new(surrogate.Steps, surrogate.Lr, surrogate.Loss) { Extra = surrogate.Extra ?? new Dictionary<string, double[]>() };

    public CurveSurrogate ConvertToSurrogate(in Curve value) => new()
    {
        Steps = value.Steps,
        Lr = value.Lr,
        Loss = value.Loss,
        Extra = value.Extra.Count == 0 ? null : new Dictionary<string, double[]>(value.Extra),
    };
}
