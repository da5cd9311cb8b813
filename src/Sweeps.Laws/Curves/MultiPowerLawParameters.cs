namespace Sweeps.Laws.Curves;

/// <summary>
/// The seven parameters of the multi-power law (Luo et al.): <c>L0 + A·S^(-α)</c> is the loss of a
/// constant schedule after LR area S; each LR drop Δ lowers it by up to <c>B·Δ</c>, saturating as
/// <c>1 − (1 + C·η^(-γ)·S')^(-β)</c> in the LR area S' since the drop.
/// </summary>
public sealed record MultiPowerLawParameters(double L0, double A, double Alpha, double B, double C, double Beta, double Gamma)
{
    /// <summary>The published fit for the 25M model (shared/data/README.md).</summary>
    public static MultiPowerLawParameters Published25M { get; } =
        new(3.04045406, 0.52468604, 0.50786857, 363.78751622, 2.06560812, 0.58279013, 0.64142257);

    public static readonly string[] Names = ["L0", "A", "alpha", "B", "C", "beta", "gamma"];

    public IReadOnlyDictionary<string, double> ToDictionary() => new Dictionary<string, double>
    {
        ["L0"] = L0,
        ["A"] = A,
        ["alpha"] = Alpha,
        ["B"] = B,
        ["C"] = C,
        ["beta"] = Beta,
        ["gamma"] = Gamma,
    };

    public static MultiPowerLawParameters FromDictionary(IReadOnlyDictionary<string, double> values)
    {
        var missing = Names.Where(n => !values.ContainsKey(n)).ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException($"multi-power-law parameters lack {string.Join(", ", missing)}");
        }

        return new(values["L0"], values["A"], values["alpha"], values["B"], values["C"], values["beta"], values["gamma"]);
    }
}
