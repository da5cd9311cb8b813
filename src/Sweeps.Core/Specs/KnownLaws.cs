namespace Sweeps.Core.Specs;

/// <summary>The laws a sweep spec may ask to fit.</summary>
public static class KnownLaws
{
    /// <summary><c>L(N, T) = E + A/N^α + B/T^β</c> over the best final loss of each (model size, horizon).</summary>
    public const string Chinchilla = "chinchilla";

    /// <summary>The optimal peak LR of each (model size, horizon), and η*(N, T) = c·N^a·T^b through them.</summary>
    public const string OptimalLr = "optimal_lr";

    /// <summary>Loss-curve laws, fitted to the curves of each (model size, peak LR, warmup) across schedules and horizons.</summary>
    public const string Mpl = "mpl";

    public const string Momentum = "momentum";

    public const string Power = "power";

    public const string Convex = "convex";

    public static readonly IReadOnlyList<string> CurveLaws = [Mpl, Momentum, Power, Convex];

    /// <summary>What a spec without <c>laws:</c> fits (curve laws cost a fit per group; ask for them).</summary>
    public static readonly IReadOnlyList<string> Default = [Chinchilla, OptimalLr];

    public static readonly IReadOnlyList<string> All = [Chinchilla, OptimalLr, .. CurveLaws];
}
