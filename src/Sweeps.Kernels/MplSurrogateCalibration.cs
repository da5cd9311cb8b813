using Sweeps.Laws.Mpl;

namespace Sweeps.Kernels;

/// <summary>
/// How the <c>mpl-surrogate</c> kernel's multi-power-law parameters depend on model size N and peak
/// LR, calibrated on the three published fits (all at peak 3e-4, 0.5M tokens a step):
/// 25M (shared/data/README.md, the repository's fit), 100M and 400M (the paper's App. H; digest §5.5).
/// <list type="bullet">
/// <item>L0 − E, A, B and α: power laws in N, least squares in log–log over the three sizes, with
/// E = 1.69 the irreducible loss of Chinchilla's fit (Hoffmann et al. 2022, approach 3) as the floor
/// L0 approaches (L0 falls 3.04 → 2.79 → 2.52; without a floor a power law cannot fall by more
/// each factor of 4).</item>
/// <item>C, β, γ: the geometric mean of the three fits (the digest: "non-monotone or poorly
/// identified"; C ranges over 12×, β and γ within 1.6×).</item>
/// <item>Peak LR: the multi-power law's derivation (digest §2.5) gives L0 = (d/4)·η_max·μ and
/// B = dμ/4, so the LR-dependent part of L0 is B·η_peak. The published L0 holds at 3e-4, hence
/// <c>L0(N, η) = L0(N) + B(N)·(η − 3e-4)</c>: a larger peak buys LR area (the power-law term) and
/// pays a noise floor (this term) that annealing only partly removes, so the best peak is interior
/// and falls with the horizon and with N.</item>
/// </list>
/// Outside 25M–400M the power laws extrapolate; nothing here is measured there.
/// </summary>
public static class MplSurrogateCalibration
{
    public const double ReferenceLr = 3e-4;

    /// <summary>The floor L0 approaches as N grows (Chinchilla's E).</summary>
    public const double IrreducibleLoss = 1.69;

    public static IReadOnlyList<(double ModelSize, MultiPowerLawParameters Parameters)> Published { get; } =
    [
        (2.5e7, MultiPowerLawParameters.Published25M),
        (1e8, new MultiPowerLawParameters(L0: 2.792, A: 0.592, Alpha: 0.460, B: 521.4, C: 0.242, Beta: 0.604, Gamma: 0.647)),
        (4e8, new MultiPowerLawParameters(L0: 2.524, A: 0.658, Alpha: 0.421, B: 614.3, C: 0.164, Beta: 0.883, Gamma: 0.564)),
    ];

    private static readonly PowerLaw L0Excess = PowerLaw.Fit(Published.Select(p => (p.ModelSize, p.Parameters.L0 - IrreducibleLoss)));
    private static readonly PowerLaw A = PowerLaw.Fit(Published.Select(p => (p.ModelSize, p.Parameters.A)));
    private static readonly PowerLaw B = PowerLaw.Fit(Published.Select(p => (p.ModelSize, p.Parameters.B)));
    private static readonly PowerLaw Alpha = PowerLaw.Fit(Published.Select(p => (p.ModelSize, p.Parameters.Alpha)));
    private static readonly double C = GeometricMean(p => p.C);
    private static readonly double Beta = GeometricMean(p => p.Beta);
    private static readonly double Gamma = GeometricMean(p => p.Gamma);

    /// <summary>The surrogate's parameters for a model of <paramref name="modelSize"/> parameters trained at peak <paramref name="peakLr"/>.</summary>
    public static MultiPowerLawParameters At(double modelSize, double peakLr)
    {
        var b = B.At(modelSize);
        return new MultiPowerLawParameters(
            L0: IrreducibleLoss + L0Excess.At(modelSize) + b * (peakLr - ReferenceLr),
            A: A.At(modelSize), Alpha: Alpha.At(modelSize), B: b, C: C, Beta: Beta, Gamma: Gamma);
    }

    private static double GeometricMean(Func<MultiPowerLawParameters, double> value) =>
        Math.Exp(Published.Average(p => Math.Log(value(p.Parameters))));

    /// <summary>y = c·N^k, fitted by least squares on (ln N, ln y).</summary>
    private sealed record PowerLaw(double LogScale, double Exponent)
    {
        public double At(double n) => Math.Exp(LogScale + Exponent * Math.Log(n));

        public static PowerLaw Fit(IEnumerable<(double N, double Y)> points)
        {
            var logs = points.Select(p => (X: Math.Log(p.N), Y: Math.Log(p.Y))).ToArray();
            double meanX = logs.Average(p => p.X), meanY = logs.Average(p => p.Y);
            var slope = logs.Sum(p => (p.X - meanX) * (p.Y - meanY)) / logs.Sum(p => (p.X - meanX) * (p.X - meanX));
            return new PowerLaw(meanY - slope * meanX, slope);
        }
    }
}
