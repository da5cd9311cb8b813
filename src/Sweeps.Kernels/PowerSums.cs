namespace Sweeps.Kernels;

/// <summary>
/// Tails of power series, <c>Σ_{i ≥ n} i^(-s)</c> (the Hurwitz zeta function ζ(s, n)), which give
/// the loss held by the directions a model of size n − 1 cannot represent.
/// </summary>
public static class PowerSums
{
    private const int DirectTerms = 32;

    /// <summary><c>Σ_{i ≥ from} i^(-s)</c> for s &gt; 1 and from ≥ 1, to about 1e-15 relative.</summary>
    public static double Tail(double s, long from)
    {
        if (!(s > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(s), s, "the series converges only for s > 1");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(from, 1);

        // Sum the first terms directly, then Euler–Maclaurin from n ≥ 32, where the first three
        // Bernoulli corrections leave an error below 1e-16 of the sum.
        var sum = 0.0;
        var n = from;
        for (; n < DirectTerms; n++)
        {
            sum += Math.Pow(n, -s);
        }

        double x = n, xs = Math.Pow(x, -s);
        var integral = x * xs / (s - 1);
        var correction = xs / 2
            + s * xs / (12 * x)
            - s * (s + 1) * (s + 2) * xs / (720 * x * x * x)
            + s * (s + 1) * (s + 2) * (s + 3) * (s + 4) * xs / (30240 * Math.Pow(x, 5));
        return sum + integral + correction;
    }
}
