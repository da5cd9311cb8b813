namespace Sweeps.Laws;

/// <summary>Which of a curve's points to keep when it has too many: evenly spread, first and last included.</summary>
public static class EvenlySpaced
{
    /// <summary>At most <paramref name="count"/> indices of <c>[0, length)</c>, evenly spread, first and last included (all of them when there are no more).</summary>
    public static int[] Indices(int length, int count) =>
        length <= count
            ? [.. Enumerable.Range(0, length)]
            : [.. Enumerable.Range(0, count).Select(i => (int)Math.Round((double)i * (length - 1) / (count - 1))).Distinct()];
}
