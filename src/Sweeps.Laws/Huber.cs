namespace Sweeps.Laws;

/// <summary>The Huber loss: quadratic within δ of zero, linear beyond (robust to outlier points).</summary>
public static class Huber
{
    public static double Loss(double r, double delta) =>
        Math.Abs(r) <= delta ? 0.5 * r * r : delta * (Math.Abs(r) - 0.5 * delta);

    /// <summary>d Loss / d r.</summary>
    public static double Derivative(double r, double delta) =>
        Math.Abs(r) <= delta ? r : delta * Math.Sign(r);
}
