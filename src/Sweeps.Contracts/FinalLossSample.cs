using Sweeps.Laws;

namespace Sweeps.Contracts;

/// <summary>
/// The final-loss points a law is fitted on, at most <see cref="Capacity"/> of them however many runs
/// a sweep has: past the capacity, a uniform sample (reservoir sampling over the runs in grid order,
/// with a fixed seed, so the same sweep gives the same sample on any silo). A sample, not the first
/// runs or every k-th: either would follow the grid's nesting and could leave whole values of an
/// axis out. A fit's memory then stays flat in the size of the sweep.
/// </summary>
public sealed class FinalLossSample(int capacity = FinalLossSample.MaximumPoints)
{
    /// <summary>Enough for any law's few parameters many times over; 1,000,000 points are ~70 MB.</summary>
    public const int MaximumPoints = 1_000_000;

    private readonly List<FinalLossPoint> _points = [];
    private readonly Random _random = new(20_250_101);

    public int Capacity { get; } = capacity;

    /// <summary>How many points were offered.</summary>
    public long Seen { get; private set; }

    public List<FinalLossPoint> Points => _points;

    /// <summary>Whether some points offered were left out.</summary>
    public bool IsSampled => Seen > _points.Count;

    public void Add(FinalLossPoint point)
    {
        Seen++;
        if (_points.Count < Capacity)
        {
            _points.Add(point);
            return;
        }

        var slot = _random.NextInt64(Seen);
        if (slot < Capacity)
        {
            _points[(int)slot] = point;
        }
    }

    /// <summary>For a fit's warnings, when the points were sampled.</summary>
    public string? Note => IsSampled ? $"fitted on a uniform sample of {_points.Count:N0} of the {Seen:N0} finished runs" : null;
}
