namespace Sweeps.Kernels;

/// <summary>
/// The random-feature kernel's final loss as a function of every step's LR, with its exact gradient
/// by the adjoint (reverse) pass through the recursion, so the schedule optimiser can search the
/// model itself (the paper's numerical optimal schedule). With <c>e' = A∘e + s(P + σ² + τ)λ</c>,
/// <c>A_k = (1 − ηλ_k)² + sλ_k²</c>, <c>s = η²/B</c>, <c>P = λ·e</c>, the step's Jacobian is
/// <c>diag(A) + s·λλᵀ</c>, so the adjoint runs <c>g ← A∘g + s·λ(λ·g)</c> backwards from
/// <c>g_T = ½λ</c>, and <c>∂L/∂η_t = Σ_k g_k [(−2λ_k(1 − ηλ_k) + 2ηλ_k²/B) e_k + (2η/B)(P + σ² + τ)λ_k]</c>
/// with e and g at step t. O(T·N) time, the T states kept (T·N doubles). Scalar: it is called a few
/// hundred times per search, not per sweep run.
/// </summary>
public sealed class RandomFeatureFinalLoss(double modelSize, IReadOnlyDictionary<string, double> options)
{
    private readonly RandomFeature.Model _model = RandomFeature.Model.From(modelSize, options);

    public double Evaluate(ReadOnlySpan<double> lr, Span<double> gradient)
    {
        var lambda = _model.Lambda;
        var n = lambda.Length;
        var floor = _model.Noise + _model.Unlearnable;
        var states = new double[lr.Length + 1][];
        states[0] = _model.InitialErrors();
        for (var t = 0; t < lr.Length; t++)
        {
            var e = states[t];
            var next = new double[n];
            var (eta, s) = (lr[t], lr[t] * lr[t] / _model.Batch);
            var coupling = s * (Dot.Scalar(lambda, e) + floor);
            for (var k = 0; k < n; k++)
            {
                var c = 1 - eta * lambda[k];
                next[k] = (c * c + s * lambda[k] * lambda[k]) * e[k] + coupling * lambda[k];
            }

            states[t + 1] = next;
        }

        var loss = 0.5 * (Dot.Scalar(lambda, states[^1]) + floor);
        if (gradient.IsEmpty)
        {
            return loss;
        }

        var g = lambda.Select(l => 0.5 * l).ToArray();
        for (var t = lr.Length - 1; t >= 0; t--)
        {
            var e = states[t];
            var (eta, s) = (lr[t], lr[t] * lr[t] / _model.Batch);
            var power = Dot.Scalar(lambda, e) + floor;
            var derivative = 0.0;
            for (var k = 0; k < n; k++)
            {
                var l = lambda[k];
                derivative += g[k] * ((-2 * l * (1 - eta * l) + 2 * eta * l * l / _model.Batch) * e[k] + 2 * eta / _model.Batch * power * l);
            }

            gradient[t] = derivative;

            // g ← Jᵀg = A∘g + s·λ(λ·g), the adjoint one step back.
            var lambdaG = Dot.Scalar(lambda, g);
            for (var k = 0; k < n; k++)
            {
                var c = 1 - eta * lambda[k];
                g[k] = (c * c + s * lambda[k] * lambda[k]) * g[k] + s * lambda[k] * lambdaG;
            }
        }

        return loss;
    }
}
