namespace Sweeps.Laws;

/// <summary>Chinchilla's <c>L(N, D) = E + A/N^α + B/D^β</c>; in a sweep D is the horizon in steps.</summary>
public sealed record ChinchillaParameters(double E, double A, double Alpha, double B, double Beta)
{
    public double Predict(double modelSize, double data) =>
        E + A / Math.Pow(modelSize, Alpha) + B / Math.Pow(data, Beta);

    /// <summary>
    /// The compute-optimal split of a budget <paramref name="sizeTimesData"/> = N·D (compute is
    /// ≈ 6·N·D FLOPs with D in tokens; in a sweep D is steps): minimising L along N·D = const gives
    /// N_opt = G·(N·D)^(β/(α+β)), D_opt = (N·D)/N_opt, with G = (αA/(βB))^(1/(α+β)) (Hoffmann et al., eq. 4).
    /// </summary>
    public ComputeOptimalPoint ComputeOptimal(double sizeTimesData)
    {
        var g = Math.Pow(Alpha * A / (Beta * B), 1 / (Alpha + Beta));
        var size = g * Math.Pow(sizeTimesData, Beta / (Alpha + Beta));
        var data = sizeTimesData / size;
        return new ComputeOptimalPoint(sizeTimesData, size, data, Predict(size, data));
    }

    /// <summary>The parameters of a fit report (<see cref="ToDictionary"/>'s names), or null when a name is missing.</summary>
    public static ChinchillaParameters? FromDictionary(IReadOnlyDictionary<string, double> parameters) =>
        parameters.TryGetValue("E", out var e) && parameters.TryGetValue("A", out var a) && parameters.TryGetValue("alpha", out var alpha)
            && parameters.TryGetValue("B", out var b) && parameters.TryGetValue("beta", out var beta)
            ? new ChinchillaParameters(e, a, alpha, b, beta)
            : null;

    public IReadOnlyDictionary<string, double> ToDictionary() => new Dictionary<string, double>
    {
        ["E"] = E,
        ["A"] = A,
        ["alpha"] = Alpha,
        ["B"] = B,
        ["beta"] = Beta,
    };
}
