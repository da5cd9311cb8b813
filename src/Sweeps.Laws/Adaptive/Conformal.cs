namespace Sweeps.Laws.Adaptive;

/// <summary>
/// Split conformal bounds from calibration errors: with n exchangeable errors, the ⌈(n + 1)·c⌉-th smallest
/// bounds a new one from above with probability at least c, and the ⌊(n + 1)(1 − c)⌋-th smallest from
/// below; with too few errors there is no bound (Vovk et al.; Lei et al., "Distribution-free predictive
/// inference for regression", 2018).
/// </summary>
public static class Conformal
{
    /// <summary>The fewest errors that give a bound at confidence <paramref name="confidence"/> (9 for 0.9).</summary>
    public static int Needed(double confidence) => (int)Math.Ceiling(confidence / (1 - confidence) - 1e-9);

    public static double? UpperBound(IReadOnlyCollection<double> errors, double confidence)
    {
        var rank = (int)Math.Ceiling((errors.Count + 1) * confidence - 1e-9);
        return rank <= errors.Count ? errors.Order().ElementAt(rank - 1) : null;
    }

    public static double? LowerBound(IReadOnlyCollection<double> errors, double confidence)
    {
        var rank = (int)Math.Floor((errors.Count + 1) * (1 - confidence) + 1e-9);
        return rank >= 1 ? errors.Order().ElementAt(rank - 1) : null;
    }
}
