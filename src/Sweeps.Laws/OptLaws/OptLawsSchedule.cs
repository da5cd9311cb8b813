namespace Sweeps.Laws.OptLaws;

/// <summary>
/// The Opt-Laws paper's general four-phase schedule (its Fig. 4), in steps: linear warmup 0 → η1 on
/// [0, a1], linear η1 → η2 on [a1, a2], plateau η2 on [a2, a3], cooldown η2 → 0 on [a3, S] (linear,
/// or a half cosine). Warmup + cooldown is a1 = a2 = a3 with η1 = η2; WSD is a1 = a2 &lt; a3.
/// Integrals of η and η'² over any interval are exact (closed forms per segment).
/// </summary>
public sealed record OptLawsSchedule(double Eta1, double Eta2, double A1, double A2, double A3, double TotalSteps, bool CosineCooldown = false)
{
    /// <summary>Linear warmup to <paramref name="peak"/> over <paramref name="warmup"/> steps, then a linear (or cosine) cooldown to 0.</summary>
    public static OptLawsSchedule WarmupCooldown(double peak, double warmup, double totalSteps, bool cosine = false) =>
        new(peak, peak, warmup, warmup, warmup, totalSteps, cosine);

    /// <summary>Linear warmup, constant until <paramref name="cooldownStart"/>, then a linear cooldown to 0 (WSD).</summary>
    public static OptLawsSchedule WarmupConstantCooldown(double peak, double warmup, double cooldownStart, double totalSteps) =>
        new(peak, peak, warmup, warmup, cooldownStart, totalSteps);

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!(Eta1 > 0 && Eta2 > 0))
        {
            problems.Add($"LRs must be > 0, got η1 = {Eta1}, η2 = {Eta2}");
        }

        if (!(A1 > 0 && A1 <= A2 && A2 <= A3 && A3 < TotalSteps))
        {
            problems.Add($"phases must satisfy 0 < a1 ≤ a2 ≤ a3 < S, got a1 = {A1}, a2 = {A2}, a3 = {A3}, S = {TotalSteps}");
        }

        if (A1 == A2 && Eta1 != Eta2)
        {
            problems.Add("η1 ≠ η2 with a1 = a2 is a jump: ∫η'² is infinite");
        }

        return problems;
    }

    /// <summary>∫_x^y η(t) dt, in LR × steps.</summary>
    public double IntegralOfLr(double x, double y) => Segments().Sum(s => s.Integral(x, y));

    /// <summary>∫_x^y η'(t)² dt, in LR² / steps.</summary>
    public double IntegralOfSlopeSquared(double x, double y) => Segments().Sum(s => s.SlopeSquaredIntegral(x, y));

    /// <summary>η(t) at a (fractional) step t; 0 from S on.</summary>
    public double LrAt(double t) => Segments().FirstOrDefault(s => t >= s.Start && t < s.End && s.End > s.Start) is { End: > 0 } segment ? segment.Value(t) : 0;

    /// <summary>The LR of every step, each step's LR read at its middle (t = s + ½), for a <c>table</c> schedule.</summary>
    public double[] PerStep() => [.. Enumerable.Range(0, (int)Math.Ceiling(TotalSteps)).Select(s => LrAt(s + 0.5))];

    private IEnumerable<Segment> Segments()
    {
        yield return new Segment(0, A1, 0, Eta1, false);
        yield return new Segment(A1, A2, Eta1, Eta2, false);
        yield return new Segment(A2, A3, Eta2, Eta2, false);
        yield return new Segment(A3, TotalSteps, Eta2, 0, CosineCooldown);
    }

    /// <summary>One phase: linear from <c>From</c> to <c>To</c> over [Start, End], or a half cosine.</summary>
    private readonly record struct Segment(double Start, double End, double From, double To, bool Cosine)
    {
        private double Length => End - Start;

        public double Integral(double x, double y)
        {
            var (u0, u1) = Clip(x, y);
            if (u1 <= u0)
            {
                return 0;
            }

            if (Cosine)
            {
                // η = (h/2)(1 + cos(πu/L)), ∫ = (h/2)[u + (L/π) sin(πu/L)].
                double h = From, length = Length;
                double Primitive(double u) => h / 2 * (u + length / Math.PI * Math.Sin(Math.PI * u / length));
                return Primitive(u1) - Primitive(u0);
            }

            return (At(u0) + At(u1)) / 2 * (u1 - u0);
        }

        public double SlopeSquaredIntegral(double x, double y)
        {
            var (u0, u1) = Clip(x, y);
            if (u1 <= u0)
            {
                return 0;
            }

            if (Cosine)
            {
                // η' = −(hπ/(2L)) sin(πu/L), ∫ sin² = u/2 − (L/(4π)) sin(2πu/L).
                var length = Length;
                var k = From * Math.PI / (2 * length);
                double Primitive(double u) => k * k * (u / 2 - length / (4 * Math.PI) * Math.Sin(2 * Math.PI * u / length));
                return Primitive(u1) - Primitive(u0);
            }

            var slope = (To - From) / Length;
            return slope * slope * (u1 - u0);
        }

        public double Value(double t) => Cosine ? From / 2 * (1 + Math.Cos(Math.PI * (t - Start) / Length)) : At(t - Start);

        private double At(double u) => From + (To - From) * u / Length;

        /// <summary>[x, y] ∩ [Start, End] in coordinates relative to Start.</summary>
        private (double, double) Clip(double x, double y) => (Math.Max(x, Start) - Start, Math.Min(y, End) - Start);
    }
}
