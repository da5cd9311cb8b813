namespace Sweeps.Core.Specs;

/// <summary>The laws a sweep spec may ask to fit (more arrive with the law engine).</summary>
public static class KnownLaws
{
    /// <summary><c>L(N, T) = E + A/N^α + B/T^β</c> over the best final loss of each (model size, horizon).</summary>
    public const string Chinchilla = "chinchilla";

    /// <summary>The optimal peak LR of each (model size, horizon), interpolated from the grid.</summary>
    public const string OptimalLr = "optimal_lr";

    public static readonly IReadOnlyList<string> All = [Chinchilla, OptimalLr];
}
