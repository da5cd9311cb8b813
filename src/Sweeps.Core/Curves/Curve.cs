namespace Sweeps.Core.Curves;

/// <summary>
/// A loss curve: the loss after each recorded step and the LR used at that step. Steps are
/// strictly increasing; extra CSV columns (accuracy, grad norm, ...) are kept by name.
/// </summary>
public sealed record Curve(int[] Steps, double[] Lr, double[] Loss)
{
    public IReadOnlyDictionary<string, double[]> Extra { get; init; } = new Dictionary<string, double[]>();

    public int Count => Steps.Length;

    public double FinalLoss => Loss.Length == 0 ? double.NaN : Loss[^1];
}
