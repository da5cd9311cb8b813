namespace Sweeps.Laws.Curves;

/// <summary>
/// One schedule prepared for fast multi-power-law evaluation at chosen steps: the LR prefix sums,
/// and only the steps k whose LR differs from the previous one (a constant stretch adds nothing to
/// the loss-drop sum, so step and WSD schedules cost a few terms, not one per step).
/// </summary>
public sealed class MplCurve
{
    /// <summary>LRs below this count as this in η^(−γ) (the published optimiser clamps η ≥ 1e-10 likewise).</summary>
    public const double MinimumLr = 1e-10;

    private readonly Lazy<MplSumBlocks> blocks;

    public MplCurve(double[] learningRates, int[] steps)
    {
        ArgumentOutOfRangeException.ThrowIfZero(learningRates.Length);
        LearningRates = learningRates;
        Steps = steps;
        var prefix = new double[learningRates.Length];
        var sum = 0.0;
        for (var i = 0; i < learningRates.Length; i++)
        {
            sum += learningRates[i];
            prefix[i] = sum;
        }

        AreaAt = steps.Select(s => prefix[s]).ToArray();
        var changes = new List<int>();
        for (var k = 1; k < learningRates.Length; k++)
        {
            if (learningRates[k] != learningRates[k - 1])
            {
                changes.Add(k);
            }
        }

        Gap = changes.Select(k => learningRates[k] - learningRates[k - 1]).ToArray();
        LogLr = changes.Select(k => Math.Log(Math.Max(learningRates[k], MinimumLr))).ToArray();
        AreaBefore = changes.Select(k => prefix[k - 1]).ToArray();
        ChangeStep = [.. changes];
        // Terms k ≤ s count for step s: how many of the changes come at or before each step.
        ChangesUpTo = steps.Select(s => UpperBound(ChangeStep, s)).ToArray();
        blocks = new Lazy<MplSumBlocks>(() => new MplSumBlocks(this));
    }

    /// <summary>η_s for every step s of the schedule (warmup included).</summary>
    public double[] LearningRates { get; }

    /// <summary>The steps at which the law is evaluated.</summary>
    public int[] Steps { get; }

    /// <summary>S(s) = Σ_{τ ≤ s} η_τ at each evaluated step.</summary>
    public double[] AreaAt { get; }

    /// <summary>The steps k ≥ 1 with η_k ≠ η_{k−1}.</summary>
    public int[] ChangeStep { get; }

    /// <summary>η_k − η_{k−1} at each change.</summary>
    public double[] Gap { get; }

    /// <summary>log max(η_k, <see cref="MinimumLr"/>) at each change.</summary>
    public double[] LogLr { get; }

    /// <summary>S(k − 1) at each change.</summary>
    public double[] AreaBefore { get; }

    /// <summary>For each evaluated step s, the number of changes at steps k ≤ s.</summary>
    public int[] ChangesUpTo { get; }

    /// <summary>The changes grouped for quadrature, built on first use (most curves are evaluated many times).</summary>
    internal MplSumBlocks Blocks => blocks.Value;

    private static int UpperBound(int[] sorted, int value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (sorted[mid] <= value)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
