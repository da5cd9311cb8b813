using Sweeps.Core.Curves;

namespace Sweeps.Kernels;

/// <summary>
/// The run loop of the kernels that evolve an expected loss deterministically (quadratic,
/// random-feature): record the loss at <see cref="CurveSteps.Evenly"/> steps, take one step per LR,
/// stop with <see cref="RunOutcome.Diverged"/> once the loss is not finite or exceeds
/// <see cref="DivergenceFactor"/> times the initial loss, and observe cancellation at each record.
/// </summary>
internal static class ExpectedLossSimulation
{
    /// <summary>A run whose loss exceeds this multiple of its initial loss has diverged.</summary>
    public const double DivergenceFactor = 1e6;

    /// <param name="loss">The expected loss of the current state.</param>
    /// <param name="step">One SGD step of the state at the given LR.</param>
    public static KernelResult Run(double[] lr, int curvePoints, Func<double> loss, Action<double> step, CancellationToken cancellationToken)
    {
        var recordAt = CurveSteps.Evenly(lr.Length, curvePoints);
        var steps = new List<int>(recordAt.Length);
        var lrs = new List<double>(recordAt.Length);
        var losses = new List<double>(recordAt.Length);
        var initialLoss = loss();
        var next = 0;
        for (var t = 0; t <= lr.Length; t++)
        {
            if (t == recordAt[next])
            {
                var current = loss();
                steps.Add(t);
                lrs.Add(t == 0 ? lr[0] : lr[t - 1]);
                losses.Add(current);
                if (!double.IsFinite(current) || current > DivergenceFactor * initialLoss)
                {
                    return new KernelResult(RunOutcome.Diverged, new Curve([.. steps], [.. lrs], [.. losses]), double.NaN);
                }

                next++;
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (t < lr.Length)
            {
                step(lr[t]);
            }
        }

        return new KernelResult(RunOutcome.Succeeded, new Curve([.. steps], [.. lrs], [.. losses]), losses[^1]);
    }
}
