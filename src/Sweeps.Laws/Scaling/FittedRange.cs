namespace Sweeps.Laws.Scaling;

/// <summary>
/// The scales a law was fitted on, each as [smallest, largest]: model size, horizon, peak LR and
/// warmup. A fit file carries it so a later prediction can say how far it extrapolates.
/// </summary>
public sealed record FittedRange(double[] ModelSize, int[] TotalSteps, double[] PeakLr, int[] WarmupSteps)
{
    public static FittedRange Of(IReadOnlyCollection<(double ModelSize, int TotalSteps, double PeakLr, int WarmupSteps)> scales) =>
        scales.Count == 0
            ? throw new ArgumentException("a fitted range needs at least one scale", nameof(scales))
            : new(
                [scales.Min(s => s.ModelSize), scales.Max(s => s.ModelSize)],
                [scales.Min(s => s.TotalSteps), scales.Max(s => s.TotalSteps)],
                [scales.Min(s => s.PeakLr), scales.Max(s => s.PeakLr)],
                [scales.Min(s => s.WarmupSteps), scales.Max(s => s.WarmupSteps)]);

    /// <summary>
    /// How far (<paramref name="modelSize"/>, <paramref name="totalSteps"/>) lies beyond the largest
    /// fitted size and the longest fitted horizon, as factors (below 1: inside), with a warning for
    /// each factor above 1 and one for a target below the range.
    /// </summary>
    public IReadOnlyDictionary<string, double> Extrapolation(double modelSize, int totalSteps, ICollection<string> warnings)
    {
        var factors = new Dictionary<string, double> { ["model_size"] = modelSize / ModelSize[1], ["total_steps"] = (double)totalSteps / TotalSteps[1] };
        if (factors["model_size"] > 1)
        {
            warnings.Add($"extrapolating {factors["model_size"]:G3}× beyond the largest fitted model size ({ModelSize[1]:G4})");
        }

        if (factors["total_steps"] > 1)
        {
            warnings.Add($"extrapolating {factors["total_steps"]:G3}× beyond the longest fitted horizon ({TotalSteps[1]} steps)");
        }

        if (modelSize < ModelSize[0] || totalSteps < TotalSteps[0])
        {
            warnings.Add("the target lies below the smallest fitted model size or horizon");
        }

        return factors;
    }
}
