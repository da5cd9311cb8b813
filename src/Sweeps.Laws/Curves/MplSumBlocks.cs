namespace Sweeps.Laws.Curves;

/// <summary>
/// The LR changes of one schedule grouped for fast loss-drop sums. A smooth schedule (a warmup ramp, a
/// cosine, an exponential decay) changes at every step, so a point late in training sums tens of
/// thousands of terms <c>g_k·(1 − (1 + x_k)^(−β))</c>; far from the point these terms vary slowly with
/// k, and a block of them is summed from <see cref="BlockRule.NodeCount"/> samples by a
/// <see cref="BlockRule"/>. The blocks form a binary tree over each run of consecutive change steps;
/// a block may use the rule only where the schedule itself is smooth on it (the interpolant through the
/// rule's nodes reproduces its gaps and log-LRs, checked once here, independent of the parameters),
/// and where the terms are smooth for the parameters at hand (<see cref="Accepts"/>, checked per
/// evaluation). Everything else is summed term by term.
/// </summary>
internal sealed class MplSumBlocks
{
    /// <summary>Interpolation tolerance of the gaps, relative to the block's largest |gap|.</summary>
    private const double GapTolerance = 1e-9;

    /// <summary>Interpolation tolerance of log η (absolute: log-LRs are of order 10).</summary>
    private const double LogLrTolerance = 1e-11;

    /// <summary>
    /// The widest range of x = C·η^(−γ)·(S(s) − S(k−1)) over a block, relative to 1 + min x, that the
    /// rule sums: (1 + x)^(−β) is analytic but for x = −1, so the Bernstein ellipse of a block whose
    /// x-range is w·(1 + x_min) has ρ ≥ 4/w = 16, and the 8-node rule errs by at most about
    /// ρ^(−8) ≈ 2e-10 of the block's sum (measured: 5e-15 of the loss, tests compare with the formula).
    /// </summary>
    private const double MaximumRelativeWidth = 0.25;

    /// <summary>The largest γ·|Δ log η| over a block that the rule sums: keeps η^(−γ) near-polynomial.</summary>
    private const double MaximumLogLrSpread = 0.5;

    private readonly List<Node> nodes = [];

    public MplSumBlocks(MplCurve curve)
    {
        var steps = curve.ChangeStep;
        var start = 0;
        for (var j = 1; j <= steps.Length; j++)
        {
            if (j == steps.Length || steps[j] != steps[j - 1] + 1)
            {
                Roots.Add(Build(curve, start, j - start));
                start = j;
            }
        }
    }

    /// <summary>One tree per run of consecutive change steps, in order.</summary>
    public List<int> Roots { get; } = [];

    public Node this[int index] => nodes[index];

    /// <summary>
    /// Whether the rule may sum block <paramref name="node"/> for a point of LR area
    /// <paramref name="area"/> under these parameters: γ·|Δ log η| and the relative range of x small.
    /// </summary>
    public static bool Accepts(in Node node, MplCurve curve, ReadOnlySpan<double> scale, double area, double gamma)
    {
        var first = node.Start;
        var last = node.Start + node.Length - 1;
        if (gamma * Math.Abs(curve.LogLr[last] - curve.LogLr[first]) > MaximumLogLrSpread)
        {
            return false;
        }

        // η is monotone on a smooth block, so u = C·η^(−γ) lies between its end values, and the area
        // since the change falls from the first term to the last: bound x's range by the corners.
        var (uLow, uHigh) = scale[first] <= scale[last] ? (scale[first], scale[last]) : (scale[last], scale[first]);
        var xLow = uLow * (area - curve.AreaBefore[last]);
        var xHigh = uHigh * (area - curve.AreaBefore[first]);
        return xHigh - xLow <= MaximumRelativeWidth * (1 + xLow);
    }

    private int Build(MplCurve curve, int start, int length)
    {
        var index = nodes.Count;
        nodes.Add(default);
        var smooth = length >= BlockRule.MinimumLength && IsSmooth(curve, start, length);
        int left = -1, right = -1;
        if (length >= 2 * BlockRule.MinimumLength)
        {
            var half = length / 2;
            left = Build(curve, start, half);
            right = Build(curve, start + half, length - half);
        }

        nodes[index] = new Node(start, length, smooth ? BlockRule.For(length) : null, left, right);
        return index;
    }

    private static bool IsSmooth(MplCurve curve, int start, int length)
    {
        var rule = BlockRule.For(length);
        var gaps = curve.Gap.AsSpan(start, length);
        var largest = 0.0;
        foreach (var g in gaps)
        {
            largest = Math.Max(largest, Math.Abs(g));
        }

        var logLr = curve.LogLr.AsSpan(start, length);
        return rule.Interpolates(gaps, GapTolerance * largest) && rule.Interpolates(logLr, LogLrTolerance) && IsMonotone(logLr);
    }

    private static bool IsMonotone(ReadOnlySpan<double> values)
    {
        bool rising = true, falling = true;
        for (var i = 1; i < values.Length; i++)
        {
            rising &= values[i] >= values[i - 1];
            falling &= values[i] <= values[i - 1];
        }

        return rising || falling;
    }

    /// <summary>
    /// Changes [Start, Start + Length) of the curve; <see cref="Rule"/> is null where the schedule is not
    /// smooth enough on them; children −1 for a leaf.
    /// </summary>
    internal readonly record struct Node(int Start, int Length, BlockRule? Rule, int Left, int Right);
}
