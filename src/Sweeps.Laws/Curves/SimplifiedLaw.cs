using System.Runtime.CompilerServices;

namespace Sweeps.Laws.Curves;

/// <summary>
/// The published code's start-up law, <c>L0 + A·S^(−α) − B·(η_peak − η_s)</c> (the MPL with its loss
/// drop taken whole at once), and its objective Σ Huber_δ(log y − log ŷ) over every training point
/// with the gradient in (L0, A, α, B). Scalar Math.Exp/Log on purpose: the start grid runs in a
/// process's first half second, while TensorPrimitives' vector log/exp still run as unoptimised
/// tier-0 code, and measured slower there than the scalar loop (docs/benchmarks.md).
/// </summary>
internal sealed class SimplifiedLaw
{
    private readonly double huberDelta;

    public SimplifiedLaw(IReadOnlyList<MplObservation> train, double peakLr, double huberDelta)
    {
        this.huberDelta = huberDelta;
        LogArea = [.. train.SelectMany(o => o.Curve.AreaAt.Select(area => Math.Log(area)))];
        Drop = [.. train.SelectMany(o => o.Curve.Steps.Select(s => peakLr - o.Curve.LearningRates[s]))];
        Loss = [.. train.SelectMany(o => o.Loss)];
        LogLoss = [.. Loss.Select(y => Math.Log(y))];
    }

    /// <summary>log S(s) at every training point.</summary>
    public double[] LogArea { get; }

    /// <summary>η_peak − η_s at every training point.</summary>
    public double[] Drop { get; }

    public double[] Loss { get; }

    private double[] LogLoss { get; }

    /// <summary>The objective at (L0, A, α, B), its gradient written to <paramref name="gradient"/>; <see cref="double.MaxValue"/> (and a zero gradient) where a prediction is not positive (outside the law's domain: NaN in the reference).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called tens of thousands of times in the first half second
    public double Evaluate(double l0, double a, double alpha, double b, Span<double> gradient)
    {
        gradient.Clear();
        var value = 0.0;
        for (var i = 0; i < LogArea.Length; i++)
        {
            var power = Math.Exp(-alpha * LogArea[i]);
            var prediction = l0 + a * power - b * Drop[i];
            if (!(prediction > 0))
            {
                gradient.Clear();
                return double.MaxValue;
            }

            var r = LogLoss[i] - Math.Log(prediction);
            value += Huber.Loss(r, huberDelta);
            var w = -Huber.Derivative(r, huberDelta) / prediction;
            gradient[0] += w;
            gradient[1] += w * power;
            gradient[2] -= w * a * power * LogArea[i];
            gradient[3] -= w * Drop[i];
        }

        return value;
    }
}
