namespace Sweeps.Core.Schedules;

/// <summary>The decay shapes shared by WSD and WSD-S, as a function of progress x ∈ [0, 1).</summary>
internal static class Decay
{
    public static double At(DecayShape shape, double peak, double final, double x) => shape switch
    {
        DecayShape.Linear => peak + (final - peak) * x,
        DecayShape.Cosine => final + (peak - final) / 2 * (1 + Math.Cos(Math.PI * x)),
        DecayShape.Sqrt => peak - (peak - final) * Math.Sqrt(x),
        DecayShape.Exponential => Math.Pow(peak, 1 - x) * Math.Pow(final, x),
        DecayShape.InverseLinear => 1 / ((1 - x) / peak + x / final),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "unknown decay shape"),
    };
}
