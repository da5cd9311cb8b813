using Sweeps.Core.Specs;

namespace Sweeps.Core.Grid;

/// <summary>
/// The runs of a sweep as a mixed-radix grid: run <c>i</c> is computed from its index alone, so a
/// coordinator can page through a million-run grid without materialising it. Axis order, outermost
/// first: model size, total steps, schedule, warmup, peak LR, option axes, seed. A spec that lists
/// its <see cref="SweepSpec.Runs"/> (an ingested sweep) has those runs instead. Runs a sweep added to its
/// grid (<see cref="SweepSpec.AddedRuns"/>) follow the grid's, from index <see cref="GridCount"/>.
/// </summary>
public sealed class SweepGrid(SweepSpec spec)
{
    private readonly int[] _radix =
    [
        spec.ModelSize.Count, spec.TotalSteps.Count, spec.Schedules.Count, spec.WarmupSteps.Count, spec.PeakLr.Count,
        .. spec.OptionAxes.Select(a => a.Values.Count), spec.Seeds.Count,
    ];

    public SweepSpec Spec { get; } = spec;

    /// <summary>How many values each axis has, in grid order: model size, total steps, schedule, warmup, peak LR, option axes, seed.</summary>
    internal IReadOnlyList<int> AxisLengths => _radix;

    /// <summary>Number of runs, computed without overflow (saturates at <see cref="long.MaxValue"/>).</summary>
    public long Count => GridCount + (Spec.AddedRuns?.Count ?? 0);

    /// <summary>The runs of the spec's grid (or list), without those the sweep added.</summary>
    public long GridCount => Spec.Runs?.Count ?? CountOf(_radix);

    /// <summary>
    /// Σ total steps over every run: what the whole grid costs in steps, against which a sweep that stops
    /// runs early measures what it saved. Each horizon is in the same share of the runs.
    /// </summary>
    public long FullGridSteps => (Spec.Runs is { } runs
        ? runs.Sum(r => (long)r.TotalSteps)
        : GridCount / Spec.TotalSteps.Count * Spec.TotalSteps.Sum(t => (long)t)) + (Spec.AddedRuns?.Sum(r => (long)r.TotalSteps) ?? 0);

    public static long CountOf(IEnumerable<int> axisLengths)
    {
        long count = 1;
        foreach (var length in axisLengths)
        {
            count = length == 0 ? 0 : count > long.MaxValue / length ? long.MaxValue : count * length;
        }

        return count;
    }

    public RunDefinition RunAt(long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        if (index >= GridCount)
        {
            return Spec.AddedRuns![(int)(index - GridCount)] with { Index = index };
        }

        if (Spec.Runs is { } runs)
        {
            return runs[(int)index]; // listed, not a grid: an ingested sweep
        }

        var digits = new int[_radix.Length];
        var rest = index;
        for (var axis = _radix.Length - 1; axis >= 0; axis--)
        {
            digits[axis] = (int)(rest % _radix[axis]);
            rest /= _radix[axis];
        }

        var modelSize = Spec.ModelSize[digits[0]];
        var totalSteps = Spec.TotalSteps[digits[1]];
        var schedule = Spec.Schedules[digits[2]];
        var warmup = Spec.WarmupSteps[digits[3]];
        var peakLr = Spec.PeakLr[digits[4]];
        var options = new Dictionary<string, double>(Spec.Options);
        for (var a = 0; a < Spec.OptionAxes.Count; a++)
        {
            options[Spec.OptionAxes[a].Name] = Spec.OptionAxes[a].Values[digits[5 + a]];
        }

        var seed = Spec.Seeds[digits[^1]];
        return new RunDefinition(index, peakLr, warmup, modelSize, totalSteps, schedule.Name,
            Complete(schedule.Template, peakLr, warmup, totalSteps), seed, options);
    }

    public IEnumerable<RunDefinition> Runs()
    {
        for (long i = 0; i < Count; i++)
        {
            yield return RunAt(i);
        }
    }

    /// <summary>
    /// The runs a grid would have at another peak LR of one (model size, horizon): every schedule, warmup,
    /// option value and seed, in grid order. Their indices are left at −1 (the sweep that adds them numbers them).
    /// </summary>
    public IEnumerable<RunDefinition> Column(double modelSize, int totalSteps, double peakLr)
    {
        var optionCombinations = Spec.OptionAxes.Aggregate(
            (IEnumerable<Dictionary<string, double>>)[new Dictionary<string, double>(Spec.Options)],
            (combinations, axis) => combinations.SelectMany(c => axis.Values.Select(v => new Dictionary<string, double>(c) { [axis.Name] = v })));
        foreach (var schedule in Spec.Schedules)
        {
            foreach (var warmup in Spec.WarmupSteps)
            {
                foreach (var options in optionCombinations)
                {
                    foreach (var seed in Spec.Seeds)
                    {
                        yield return new RunDefinition(-1, peakLr, warmup, modelSize, totalSteps, schedule.Name,
                            Complete(schedule.Template, peakLr, warmup, totalSteps), seed, options);
                    }
                }
            }
        }
    }

    /// <summary>A template with the grid's peak LR, warmup and horizon filled in.</summary>
    public static Schedules.ScheduleSpec Complete(Schedules.ScheduleSpec template, double peakLr, int warmupSteps, int totalSteps) =>
        template with { PeakLr = peakLr, WarmupSteps = warmupSteps, TotalSteps = totalSteps };
}
