using System.Runtime.CompilerServices;
using Sweeps.Laws.Curves;

namespace Sweeps.Laws.Curves;

/// <summary>
/// The convex bound as a loss-curve law (the paper's Generalization 1): <c>L(τ) = L∞ + D̃²·X1(τ) + G̃²·X2(τ)</c>
/// with fitted, non-physical D̃² and G̃² ≥ 0. Linear in its parameters, so the features of each curve
/// are computed once (O(T) per point) and cached. Steps follow the multi-power law's convention on
/// the same curves (a point at step s has seen η_0..η_s, i.e. τ = s + 1 updates), so every curve law
/// reads a manifest alike. Points where the bound is singular (a zero LR at τ) predict +∞.
/// </summary>
public sealed class ConvexBoundLaw : ICurveLaw
{
    public const string LawName = Sweeps.Core.Specs.KnownLaws.Convex;

    private static readonly ConditionalWeakTable<MplCurve, (double X1, double X2)[]> Cache = [];

    public static ConvexBoundLaw Instance { get; } = new();

    public string Name => LawName;

    public IReadOnlyList<string> ParameterNames { get; } = ["L_inf", "D2", "G2"];

    public static (double X1, double X2)[] FeaturesOf(MplCurve curve) => Cache.GetValue(curve, c =>
        c.Steps.Select(s => ConvexBound.Features(c.LearningRates, s + 1)).ToArray());

    public void Evaluate(ReadOnlySpan<double> parameters, MplCurve curve, Span<double> predictions, Span<double> jacobian)
    {
        var features = FeaturesOf(curve);
        for (var i = 0; i < features.Length; i++)
        {
            var (x1, x2) = features[i];
            predictions[i] = parameters[0] + parameters[1] * x1 + parameters[2] * x2;
            if (!jacobian.IsEmpty)
            {
                jacobian[i * 3] = 1;
                jacobian[i * 3 + 1] = x1;
                jacobian[i * 3 + 2] = x2;
            }
        }
    }
}
