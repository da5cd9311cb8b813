namespace Sweeps.Laws.Curves;

/// <summary>
/// The default way to fit the multi-power law (<c>auto</c>): fit the objective's optimum, then ask
/// whether the law explains the training curves up to noise. If it does, the optimum is the efficient
/// estimate (as on the mpl-surrogate twin, which is the law plus noise); if it does not (real
/// pretraining curves: the law misses structure the optimum then bends to fit), the published
/// pipeline's early stop, which stays near its simplified-law start, predicts unseen schedules and
/// horizons better, and is used instead. The test is the classic one for a misspecified regression:
/// residuals of an adequate model are uncorrelated, so the lag-1 autocorrelation ρ1 of the log
/// residuals along each curve (pooled over the curves) is about N(0, 1/n); ρ1 above three standard
/// errors, 3/√n, says the law is misspecified. Nothing in it is tuned to any data set
/// (docs/architecture.md, "The MPL's fit methods").
/// </summary>
public static class MplAutoFit
{
    public const string MethodName = "auto";

    /// <summary>Standard errors of ρ1 above zero at which the residuals count as correlated.</summary>
    public const double StandardErrors = 3;

    /// <summary>
    /// An RMS log residual below this is a fit to the precision losses are logged in (float32, about
    /// 1e-7), whatever its correlation: a law fitted to curves it generated leaves correlated round-off.
    /// </summary>
    public const double ExactFit = 1e-6;

    public static FitReport Fit(IReadOnlyList<MplObservation> train, double huberDelta = FitMetrics.HuberDelta)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var optimum = MultiPowerLawFit.Fit(train, huberDelta);
        if (optimum.Parameters.Count == 0 || IdentifiedParameters.Problem(optimum.Parameters) is not null)
        {
            return Chosen(MplReferenceFit.Fit(train, huberDelta), "the optimum could not be fitted, so the published pipeline", clock);
        }

        var (rho, rms, points) = ResidualAutocorrelation(MultiPowerLawParameters.FromDictionary(optimum.Parameters), train);
        var threshold = StandardErrors / Math.Sqrt(points);
        if (rms < ExactFit)
        {
            return Chosen(optimum, $"the optimum reproduces these curves to {rms:G2} (RMS log residual)", clock);
        }

        if (!(rho > threshold))
        {
            return Chosen(optimum, $"the optimum's residuals are uncorrelated (lag-1 autocorrelation {rho:F3} ≤ {threshold:F3}, {StandardErrors} standard errors): the law fits these curves up to noise", clock);
        }

        var reference = MplReferenceFit.Fit(train, huberDelta);
        return reference.Parameters.Count == 0
            ? Chosen(optimum, $"the optimum's residuals are correlated (lag-1 autocorrelation {rho:F3} > {threshold:F3}) but the published pipeline failed ({string.Join("; ", reference.Warnings)}), so the optimum", clock)
            : Chosen(reference, $"the optimum's residuals are correlated (lag-1 autocorrelation {rho:F3} > {threshold:F3}, {StandardErrors} standard errors): the law misses structure in these curves, so the published pipeline's early stop, which generalises better there", clock);
    }

    /// <summary>ρ1 = Σ r_i·r_{i−1} / Σ r_i² over consecutive points of each curve, r = log y − log ŷ; the RMS of r; the number of points.</summary>
    public static (double Rho, double Rms, int Points) ResidualAutocorrelation(MultiPowerLawParameters parameters, IReadOnlyList<MplObservation> curves)
    {
        double lagged = 0, squares = 0;
        var points = 0;
        foreach (var curve in curves)
        {
            var predictions = MultiPowerLaw.Predict(parameters, curve.Curve);
            var previous = double.NaN;
            for (var i = 0; i < predictions.Length; i++)
            {
                var r = Math.Log(curve.Loss[i]) - Math.Log(predictions[i]);
                squares += r * r;
                if (i > 0)
                {
                    lagged += r * previous;
                }

                previous = r;
                points++;
            }
        }

        return (squares > 0 ? lagged / squares : 0, Math.Sqrt(squares / Math.Max(points, 1)), points);
    }

    private static FitReport Chosen(FitReport report, string why, System.Diagnostics.Stopwatch clock) =>
        report with { SelectedBy = $"{MethodName}: {why}", ElapsedSeconds = clock.Elapsed.TotalSeconds };
}
