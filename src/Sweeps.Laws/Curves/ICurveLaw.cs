namespace Sweeps.Laws.Curves;

/// <summary>
/// A law of the whole loss curve as a function of the LR schedule (MPL and its baselines): named
/// parameters, the first of which is the loss floor L0 and the others positive, and predictions with
/// their Jacobian at a curve's steps.
/// </summary>
public interface ICurveLaw
{
    string Name { get; }

    IReadOnlyList<string> ParameterNames { get; }

    /// <summary>Predictions at the curve's steps and, if <paramref name="jacobian"/> is not empty, their derivatives (row-major, one row per step).</summary>
    void Evaluate(ReadOnlySpan<double> parameters, MplCurve curve, Span<double> predictions, Span<double> jacobian);
}
