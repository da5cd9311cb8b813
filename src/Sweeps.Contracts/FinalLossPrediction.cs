namespace Sweeps.Contracts;

/// <summary>
/// A prediction of a run's final loss made at <see cref="Fraction"/> of its horizon by the law rule,
/// with <see cref="Scale"/>, the relative RMS residual of the fit that made it (the unit of its error).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweeps.final-loss-prediction")]
public sealed record FinalLossPrediction(
    [property: Id(0)] double Fraction,
    [property: Id(1)] double Predicted,
    [property: Id(2)] double Scale);
