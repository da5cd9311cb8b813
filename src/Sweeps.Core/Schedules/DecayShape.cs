namespace Sweeps.Core.Schedules;

/// <summary>How a WSD or WSD-S decay window goes from the peak to the final learning rate.</summary>
public enum DecayShape
{
    Linear,
    Cosine,

    /// <summary><c>peak - (peak - final)·sqrt(x)</c>, the "1 − sqrt" cooldown.</summary>
    Sqrt,

    /// <summary>Geometric: <c>peak^(1-x) · final^x</c>; needs a positive final LR.</summary>
    Exponential,

    /// <summary><c>1/lr</c> interpolates linearly (WSD-S paper); needs a positive final LR.</summary>
    InverseLinear,
}
