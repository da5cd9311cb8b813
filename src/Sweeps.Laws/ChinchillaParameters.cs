namespace Sweeps.Laws;

/// <summary>Chinchilla's <c>L(N, D) = E + A/N^α + B/D^β</c>; in a sweep D is the horizon in steps.</summary>
public sealed record ChinchillaParameters(double E, double A, double Alpha, double B, double Beta)
{
    public double Predict(double modelSize, double data) =>
        E + A / Math.Pow(modelSize, Alpha) + B / Math.Pow(data, Beta);

    public IReadOnlyDictionary<string, double> ToDictionary() => new Dictionary<string, double>
    {
        ["E"] = E, ["A"] = A, ["alpha"] = Alpha, ["B"] = B, ["beta"] = Beta,
    };
}
