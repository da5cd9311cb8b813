namespace Sweeps.Core.Grid;

/// <summary>
/// The order in which a sweep that stops runs early (<see cref="Specs.SweepSpec.Stopping"/>) starts its
/// grid's runs, chosen for what a stopping rule needs to judge a run (axes outermost first): horizons
/// shortest first (a short run finishes sooner, and its curve calibrates the law for the longer runs of its
/// group); then seeds (the first seed of every configuration before the second: a replica teaches the rule
/// little that the first did not); then schedule, warmup, peak LR and option values as in the grid; and model
/// sizes innermost, so the first runs of each (model size, horizon) are spread over the sizes and every one of
/// them has a finished run to judge against as early as it can. Grid order instead runs a whole (model size,
/// horizon) before the next, and its first <c>concurrency</c> runs all start with nothing to be judged
/// against. Runs a sweep added and listed (ingested) runs keep their index order. The order is a pure
/// function of the spec, so a resumed sweep and <c>sweeps bench adaptive</c>'s replay follow it too.
/// </summary>
public sealed class DispatchOrder
{
    private readonly SweepGrid _grid;

    /// <summary>The grid's axes (<see cref="SweepGrid.AxisLengths"/>' positions), outermost first in dispatch.</summary>
    private readonly int[] _axes;

    /// <summary>For each grid axis, the value index taken at each dispatch digit (horizons sorted; the rest as written).</summary>
    private readonly int[][] _values;

    public DispatchOrder(SweepGrid grid)
    {
        _grid = grid;
        var lengths = grid.AxisLengths;
        const int modelSize = 0, totalSteps = 1, schedule = 2;
        var seed = lengths.Count - 1; // the grid's innermost axis; schedule, warmup, peak LR and options lie between
        _axes = [totalSteps, seed, .. Enumerable.Range(schedule, seed - schedule), modelSize];
        _values = [.. lengths.Select(n => Enumerable.Range(0, n).ToArray())];
        _values[totalSteps] = [.. Enumerable.Range(0, lengths[totalSteps]).OrderBy(i => grid.Spec.TotalSteps[i])];
    }

    /// <summary>A stopping sweep's order over its grid, or null: every other sweep runs in index order.</summary>
    public static DispatchOrder? For(SweepGrid grid) => grid.Spec.Stopping is null || grid.Spec.Runs is not null ? null : new DispatchOrder(grid);

    /// <summary>The index of the run started <paramref name="position"/>-th (from 0).</summary>
    public long IndexAt(long position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        if (position >= _grid.GridCount || _grid.Spec.Runs is not null)
        {
            return position;
        }

        var lengths = _grid.AxisLengths;
        var digits = new int[lengths.Count];
        var rest = position;
        for (var k = _axes.Length - 1; k >= 0; k--)
        {
            var axis = _axes[k];
            digits[axis] = _values[axis][(int)(rest % lengths[axis])];
            rest /= lengths[axis];
        }

        long index = 0;
        for (var axis = 0; axis < lengths.Count; axis++)
        {
            index = index * lengths[axis] + digits[axis];
        }

        return index;
    }

    /// <summary>Every run of the grid, its added runs after, in this order.</summary>
    public IEnumerable<long> Indices()
    {
        for (long position = 0; position < _grid.Count; position++)
        {
            yield return IndexAt(position);
        }
    }
}
