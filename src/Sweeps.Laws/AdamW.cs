namespace Sweeps.Laws;

/// <summary>
/// AdamW exactly as PyTorch's <c>torch.optim.AdamW</c> takes one step with its defaults (β1 0.9,
/// β2 0.999, ε 1e-8, weight decay 0.01, no AMSGrad): the decoupled decay <c>θ ← θ·(1 − lr·λ)</c>
/// first, then the bias-corrected Adam update <c>θ ← θ − lr/(1 − β1^t) · m / (√v / √(1 − β2^t) + ε)</c>.
/// Each parameter has its own learning rate (PyTorch's parameter groups).
/// </summary>
public sealed class AdamW(IReadOnlyList<double> learningRates, double weightDecay = 0.01, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
{
    private readonly double[] firstMoment = new double[learningRates.Count];
    private readonly double[] secondMoment = new double[learningRates.Count];

    /// <summary>Steps taken so far.</summary>
    public int Steps { get; private set; }

    /// <summary>Updates <paramref name="parameters"/> in place along <paramref name="gradient"/>.</summary>
    public void Step(Span<double> parameters, ReadOnlySpan<double> gradient)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(parameters.Length, learningRates.Count);
        ArgumentOutOfRangeException.ThrowIfNotEqual(gradient.Length, learningRates.Count);
        Steps++;
        var correction1 = 1 - Math.Pow(beta1, Steps);
        var correction2Root = Math.Sqrt(1 - Math.Pow(beta2, Steps));
        for (var i = 0; i < parameters.Length; i++)
        {
            var lr = learningRates[i];
            parameters[i] *= 1 - lr * weightDecay;
            // PyTorch's lerp and addcmul, in its order of operations.
            firstMoment[i] += (gradient[i] - firstMoment[i]) * (1 - beta1);
            secondMoment[i] = secondMoment[i] * beta2 + (1 - beta2) * gradient[i] * gradient[i];
            var denominator = Math.Sqrt(secondMoment[i]) / correction2Root + epsilon;
            parameters[i] -= lr / correction1 * firstMoment[i] / denominator;
        }
    }
}
