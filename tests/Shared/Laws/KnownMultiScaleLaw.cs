using Sweeps.Laws.Scaling;

namespace Sweeps.Tests;

/// <summary>
/// A multi-scale MPL shaped like the published 100M–400M fits (digest §5.5), the ground truth of
/// the tests that fit laws across sizes: floor 1.7, L0 − floor ≈ 1 at 2e8, A, α and B trending in N,
/// C, β, γ shared, the loss floor rising with the peak LR by B (κ = 1).
/// </summary>
public static class KnownMultiScaleLaw
{
    public static readonly ScalingForm[] Forms =
        [ScalingForm.PowerWithFloor, ScalingForm.Power, ScalingForm.Power, ScalingForm.Power, ScalingForm.Shared, ScalingForm.Shared, ScalingForm.Shared];

    public static MultiScaleMpl Create() => new(Forms, 2e8, 3e-4, fitsLrSlope: true,
        [1.7, Math.Log(1.0), -0.2, Math.Log(0.62), 0.08, Math.Log(0.44), -0.06, Math.Log(560), 0.12, Math.Log(0.2), Math.Log(0.7), Math.Log(0.6), 1.0]);
}
