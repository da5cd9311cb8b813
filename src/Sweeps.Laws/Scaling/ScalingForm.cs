namespace Sweeps.Laws.Scaling;

/// <summary>How one multi-power-law parameter depends on the model size N in a multi-scale fit.</summary>
public enum ScalingForm
{
    /// <summary>One value for every size: the data do not resolve a trend.</summary>
    Shared,

    /// <summary><c>p(N) = k·(N/N_ref)^q</c>.</summary>
    Power,

    /// <summary><c>p(N) = E + k·(N/N_ref)^q</c>: a power law towards an irreducible floor E (the loss floor L0 only).</summary>
    PowerWithFloor,
}
