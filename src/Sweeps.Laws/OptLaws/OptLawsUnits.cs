namespace Sweeps.Laws.OptLaws;

/// <summary>
/// The normalisation the published coefficients assume (App. A.2): model size in billions of
/// parameters, steps as billions of tokens (token length × batch, 2048 × 2048 by default), LR
/// divided by 1.5e-2.
/// </summary>
public sealed record OptLawsUnits(double TokensPerStep = 2048.0 * 2048.0, double LrScale = 1.5e-2)
{
    public static OptLawsUnits Paper { get; } = new();

    public double Tokens(double steps) => steps * TokensPerStep / 1e9;
}
