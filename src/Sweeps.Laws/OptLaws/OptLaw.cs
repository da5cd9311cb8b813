namespace Sweeps.Laws.OptLaws;

/// <summary>
/// The generalised Opt-Laws (Opt-Laws paper §4.2, Eqns. 5–8, Tables 5–6):
/// <c>log(Loss) = cᵀF</c> with 16 features built from the schedule integrals
/// <c>Iw = ∫_0^{a_c1} η</c>, <c>Ic = ∫_{a_c2}^S η</c>, <c>Qw = ∫_0^{a_e1} η'²</c>, <c>Qc = ∫_{a_e2}^S η'²</c>,
/// the model size N and the horizon S (normalised, <see cref="OptLawsUnits"/>), and the divergence
/// rule R (Eqn. 4): a run with R &gt; 1 is predicted to diverge (its loss is the paper's sentinel 7).
/// </summary>
public sealed class OptLaw(IReadOnlyList<double> coefficients, OptLawsUnits? units = null, OptLawsSegments segments = OptLawsSegments.Tables)
{
    public const string LawName = "opt-laws";
    public const double DivergedLoss = 7.0;
    public const int FeatureCount = 16;

    /// <summary>The exponents of Tables 5–6 (α1..α12 in place), fixed when refitting c.</summary>
    private static readonly double[] Powers = [-1.0, -1.0, 0.25, -0.23, 1.0, 0.25, 0.25, -0.25, 0.2, 0.15, 0.15, 0.15, -0.25, -0.25, 0.2, 1.0];

    /// <summary>The published coefficients c (Tables 5–6).</summary>
    public static IReadOnlyList<double> PublishedCoefficients { get; } =
        [-6.92e-4, -1.27e-3, -4.68e-2, 4.65e-2, 9.62e-3, 1.92e-2, -5.05e-2, -1.82e-1, -4.68e-2, -4.18e-2, -1.19e-1, 2.18e-1, 3.1e-1, 6.98e-1, 5.26e-2, 3.14e-1];

    public static OptLaw Published { get; } = new(PublishedCoefficients);

    public IReadOnlyList<double> Coefficients { get; } = coefficients.Count == FeatureCount
        ? coefficients
        : throw new ArgumentException($"Opt-Laws take {FeatureCount} coefficients, got {coefficients.Count}", nameof(coefficients));

    public OptLawsUnits Units { get; } = units ?? OptLawsUnits.Paper;

    public OptLawsSegments Segments { get; } = segments;

    /// <summary>The 16 features of a run (Tables 5–6 order).</summary>
    public double[] Features(OptLawsRun run)
    {
        var s = run.Schedule;
        var (ac1, ac2, ae1, ae2) = Segments == OptLawsSegments.Tables ? (s.A1, s.A1, s.A1, s.A1) : (s.A1, s.A3, s.A2, s.A2);
        var scale = Units.LrScale;
        var tokensPerStep = Units.Tokens(1);
        // ∫η scales with LR × tokens; ∫η'² with LR² / tokens.
        var iw = s.IntegralOfLr(0, ac1) / scale * tokensPerStep;
        var ic = s.IntegralOfLr(ac2, s.TotalSteps) / scale * tokensPerStep;
        var qw = s.IntegralOfSlopeSquared(0, ae1) / (scale * scale) / tokensPerStep;
        var qc = s.IntegralOfSlopeSquared(ae2, s.TotalSteps) / (scale * scale) / tokensPerStep;
        var n = run.Parameters / 1e9;
        var horizon = Units.Tokens(s.TotalSteps);
        var peak = Math.Max(s.Eta1, s.Eta2) / scale;
        double[] bases = [iw, ic, n / ic, iw * ic, qc, qw, qc, horizon * n, qc / iw, qc / ic, n * qc / iw, n * qc / ic, n, horizon, peak, 1.0];
        return bases.Select((b, j) => Math.Pow(b, Powers[j])).ToArray();
    }

    /// <summary>R of Eqn. (4) with the paper's pre-processing (S and the warmup squared, in normalised units).</summary>
    public double Divergence(OptLawsRun run)
    {
        var s = run.Schedule;
        var horizon = Units.Tokens(s.TotalSteps);
        var warmup = Units.Tokens(s.A1);
        var n = run.Parameters / 1e9;
        var peak = s.Eta1 / Units.LrScale;
        // ĉ1 = 1.76, ĉ2 = 33.21, ĉ3 = 292.03, α̂1 = 0.218, α̂2 = 0.5 (App. A.3), on S := Ŝ², a1 := â1².
        var threshold = Math.Min(peak, 1.76 * Math.Pow(horizon * horizon, 0.218) / (33.21 * Math.Pow(n, 0.5)));
        var ratio = horizon * (peak - threshold) / (warmup * threshold);
        return ratio * ratio / 292.03;
    }

    public bool Diverges(OptLawsRun run) => Divergence(run) > 1;

    /// <summary>The predicted final loss (natural log units exponentiated), or 7 when R predicts divergence.</summary>
    public double PredictLoss(OptLawsRun run) =>
        Diverges(run) ? DivergedLoss : Math.Exp(Features(run).Select((f, j) => f * Coefficients[j]).Sum());

    /// <summary>
    /// Eqn. (8): c = argmin Σ (cᵀF_i − log Loss_i)² over non-diverged runs, with the exponents fixed.
    /// </summary>
    public static OptLaw Refit(IReadOnlyList<(OptLawsRun Run, double Loss)> runs, OptLawsUnits? units = null, OptLawsSegments segments = OptLawsSegments.Tables)
    {
        var template = new OptLaw(PublishedCoefficients, units, segments);
        var usable = runs.Where(r => r.Loss > 0 && double.IsFinite(r.Loss) && r.Loss < DivergedLoss && !template.Diverges(r.Run)).ToList();
        if (usable.Count < FeatureCount)
        {
            throw new ArgumentException($"refitting 16 coefficients needs at least 16 non-diverged runs, got {usable.Count}");
        }

        var design = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRowArrays(usable.Select(r => template.Features(r.Run)));
        var target = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.DenseOfEnumerable(usable.Select(r => Math.Log(r.Loss)));
        var solution = design.Svd().Solve(target);
        return new OptLaw(solution.ToArray(), units, segments);
    }
}
