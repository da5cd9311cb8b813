using MathNet.Numerics.LinearAlgebra;
using Sweeps.Laws.Solvers;

namespace Sweeps.Laws.Curves;

/// <summary>
/// Fits any <see cref="ICurveLaw"/> by the multi-power-law protocol: Huber (δ = 1e-3) on log
/// residuals over all training points jointly, θ = (L0, ln p₁, ln p₂, …) so every parameter but the
/// floor stays positive, minimised by <see cref="HuberLevenbergMarquardt"/>.
/// </summary>
public static class CurveLawFit
{
    /// <summary>
    /// Minimizes from <paramref name="start"/>. A start that predicts a non-positive loss somewhere
    /// (a loss-drop coefficient too large for these curves) is made feasible first by halving the
    /// fourth parameter (the MPL's B, the momentum law's C) up to 40 times.
    /// </summary>
    public static SolverResult Minimize(ICurveLaw law, IReadOnlyList<MplObservation> train, IReadOnlyList<double> start, double huberDelta)
    {
        var points = train.Sum(o => o.Loss.Length);
        var values = start.ToArray();
        var residuals = new double[points];
        for (var halving = 0; values.Length > 3 && halving < 40 && !LogResiduals(law, train, ToTheta(values), residuals, []); halving++)
        {
            values[3] /= 2;
        }

        return HuberLevenbergMarquardt.Minimize((theta, r, j) => LogResiduals(law, train, theta, r, j), ToTheta(values), points, huberDelta);
    }

    public static Vector<double> ToTheta(IReadOnlyList<double> parameters) =>
        Vector<double>.Build.DenseOfEnumerable(parameters.Select((v, i) => i == 0 ? v : Math.Log(v)));

    public static double[] FromTheta(IEnumerable<double> theta) => theta.Select((v, i) => i == 0 ? v : Math.Exp(v)).ToArray();

    /// <summary>Residuals <c>log L̂ − log L</c> of every training point and their Jacobian in θ; false outside the law's domain.</summary>
    public static bool LogResiduals(ICurveLaw law, IReadOnlyList<MplObservation> train, Vector<double> theta, Span<double> residuals, Span<double> jacobian)
    {
        var parameters = FromTheta(theta);
        var width = parameters.Length;
        var offset = 0;
        foreach (var observation in train)
        {
            var n = observation.Loss.Length;
            var predictions = residuals.Slice(offset, n);
            var derivatives = jacobian.IsEmpty ? [] : jacobian.Slice(offset * width, n * width);
            law.Evaluate(parameters, observation.Curve, predictions, derivatives);
            for (var i = 0; i < n; i++)
            {
                var prediction = predictions[i];
                if (!(prediction > 0) || !double.IsFinite(prediction))
                {
                    return false;
                }

                predictions[i] = Math.Log(prediction) - Math.Log(observation.Loss[i]);
                for (var k = 0; k < width && !derivatives.IsEmpty; k++)
                {
                    // d log L̂ / dθ_k = (dL̂/dp_k)(dp_k/dθ_k)/L̂, with dp/dθ = p for the log-parameters.
                    derivatives[i * width + k] *= (k == 0 ? 1 : parameters[k]) / prediction;
                }
            }

            offset += n;
        }

        return true;
    }
}
