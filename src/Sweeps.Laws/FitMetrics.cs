namespace Sweeps.Laws;

/// <summary>
/// How well predictions match data (DESIGN.md, Laws): R², MAE, RMSE, PredE = mean |err|/y,
/// WorstE = max |err|/y, and the mean Huber loss (δ = 1e-3) of log residuals.
/// </summary>
public sealed record FitMetrics(double R2, double Mae, double Rmse, double PredE, double WorstE, double Huber)
{
    public const double HuberDelta = 1e-3;

    /// <summary>The mean of per-curve metrics (DESIGN.md: summaries average the curves).</summary>
    public static FitMetrics Mean(IReadOnlyCollection<FitMetrics> metrics) => new(
        metrics.Average(m => m.R2), metrics.Average(m => m.Mae), metrics.Average(m => m.Rmse),
        metrics.Average(m => m.PredE), metrics.Average(m => m.WorstE), metrics.Average(m => m.Huber));

    public static FitMetrics Of(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(predicted.Length, actual.Length);
        ArgumentOutOfRangeException.ThrowIfZero(actual.Length);
        double mean = 0;
        foreach (var y in actual)
        {
            mean += y;
        }

        mean /= actual.Length;
        double ssRes = 0, ssTot = 0, absSum = 0, relSum = 0, worst = 0, huber = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var error = predicted[i] - actual[i];
            ssRes += error * error;
            ssTot += (actual[i] - mean) * (actual[i] - mean);
            absSum += Math.Abs(error);
            var relative = Math.Abs(error) / Math.Abs(actual[i]);
            relSum += relative;
            worst = Math.Max(worst, relative);
            huber += Sweeps.Laws.Huber.Loss(Math.Log(predicted[i]) - Math.Log(actual[i]), HuberDelta);
        }

        var n = actual.Length;
        var r2 = ssTot > 0 ? 1 - ssRes / ssTot : ssRes == 0 ? 1 : double.NegativeInfinity;
        return new FitMetrics(r2, absSum / n, Math.Sqrt(ssRes / n), relSum / n, worst, huber / n);
    }
}
