namespace Sweeps.Laws.Curves;

/// <summary>
/// Whether a curve law's fitted parameters are usable: finite, and every positive parameter (all
/// but the floor L0, fitted in log space) within [1e-12, 1e12]. A parameter that ran off to 0 or ∞
/// (C = ∞, β = 1e185 on a pair of curves that cannot tell C, β and γ apart) is not identified by the
/// curves, and predictions from it are meaningless; such a fit is reported as failed, with the reason.
/// </summary>
public static class IdentifiedParameters
{
    public const double Bound = 1e12;

    /// <returns>Null when every parameter is usable, otherwise what is wrong, naming the parameters.</returns>
    /// <param name="logParameters">Whether the parameters but L0 (and the momentum law's grid λ) were fitted in log space, so that a bound applies (not for the convex bound's least squares).</param>
    public static string? Problem(IReadOnlyDictionary<string, double> parameters, bool logParameters = true)
    {
        var bad = parameters
            .Where(p => !double.IsFinite(p.Value) || (logParameters && p.Key is not ("L0" or "lambda") && (p.Value > Bound || p.Value < 1 / Bound)))
            .Select(p => $"{p.Key} = {p.Value:G4}")
            .ToList();
        return bad.Count == 0
            ? null
            : $"{string.Join(", ", bad)}: not identified by these curves (ran off to 0 or ∞); fit curves of more schedules, or use --method reference";
    }

    /// <summary>The report, or a failed one (no parameters, the reason as a warning) when <see cref="Problem"/> finds one.</summary>
    public static FitReport Checked(FitReport report, bool logParameters = true) =>
        report.Parameters.Count > 0 && Problem(report.Parameters, logParameters) is { } problem
            ? report with { Parameters = new Dictionary<string, double>(), Warnings = [.. report.Warnings, "fit failed: " + problem] }
            : report;
}
