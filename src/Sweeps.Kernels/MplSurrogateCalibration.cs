using Sweeps.Laws.Curves;

namespace Sweeps.Kernels;

/// <summary>
/// How the <c>mpl-surrogate</c> kernel's multi-power-law parameters depend on model size N and peak
/// LR, calibrated on the three published fits (all at peak 3e-4, 0.5M tokens a step):
/// 25M (shared/data/README.md, the repository's fit), 100M and 400M (the paper's App. H; digest §5.5).
/// <list type="bullet">
/// <item>At 25M, 100M and 400M the surrogate <i>is</i> the published fit. Between them every
/// parameter is interpolated linearly in (ln N, ln value) — for L0, ln(L0 − E) with E = 1.69, the
/// irreducible loss of Chinchilla's fit (Hoffmann et al. 2022, approach 3), so L0 approaches a floor.</item>
/// <item>Beyond them L0 − E, A, B and α extrapolate along the power law of the nearest segment;
/// C, β and γ, which the digest calls "non-monotone or poorly identified" (C falls 12× from 25M to
/// 400M), keep their end values.</item>
/// <item>Peak LR: the multi-power law's derivation (digest §2.5) gives L0 = (d/4)·η_max·μ and
/// B = dμ/4, so the LR-dependent part of L0 is B·η_peak. The published L0 holds at 3e-4, hence
/// <c>L0(N, η) = L0(N) + B(N)·(η − 3e-4)</c>: a larger peak buys LR area (the power-law term) and
/// pays a noise floor (this term) that annealing only partly removes, so the best peak is interior
/// and falls with the horizon and with N.</item>
/// </list>
/// Nothing here is measured outside 25M–400M or away from 3e-4.
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

    /// <summary>The surrogate's parameters for a model of <paramref name="modelSize"/> parameters trained at peak <paramref name="peakLr"/>.</summary>
    public static MultiPowerLawParameters At(double modelSize, double peakLr)
    {
        var x = Math.Log(modelSize);
        double Trend(Func<MultiPowerLawParameters, double> value) => Math.Exp(Interpolate(x, value, extrapolate: true));
        double Shape(Func<MultiPowerLawParameters, double> value) => Math.Exp(Interpolate(x, value, extrapolate: false));
        var b = Trend(p => p.B);
        return new MultiPowerLawParameters(
            L0: IrreducibleLoss + Trend(p => p.L0 - IrreducibleLoss) + b * (peakLr - ReferenceLr),
            A: Trend(p => p.A), Alpha: Trend(p => p.Alpha), B: b,
            C: Shape(p => p.C), Beta: Shape(p => p.Beta), Gamma: Shape(p => p.Gamma));
    }

    /// <summary>ln value at ln N = <paramref name="x"/>: linear between published sizes; beyond them along the nearest segment, or held.</summary>
    private static double Interpolate(double x, Func<MultiPowerLawParameters, double> value, bool extrapolate)
    {
        var points = Published.Select(p => (X: Math.Log(p.ModelSize), Y: Math.Log(value(p.Parameters)))).ToArray();
        if (!extrapolate && (x <= points[0].X || x >= points[^1].X))
        {
            return x <= points[0].X ? points[0].Y : points[^1].Y;
        }

        var segment = 0;
        while (segment < points.Length - 2 && x > points[segment + 1].X)
        {
            segment++;
        }

        var (left, right) = (points[segment], points[segment + 1]);
        return left.Y + (right.Y - left.Y) * (x - left.X) / (right.X - left.X);
    }
}
