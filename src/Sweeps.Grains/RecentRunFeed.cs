using Sweeps.Contracts;

namespace Sweeps.Grains;

/// <summary>
/// The last <see cref="Capacity"/> runs a sweep activation recorded, numbered 1, 2, … in the order
/// they finished, so live views read what is new instead of the whole ledger every tick. Memory only:
/// a new activation starts a new <see cref="Epoch"/> and readers of the old one are told to re-read
/// the ledger (<see cref="RunFeedPage.Gap"/>).
/// </summary>
public sealed class RecentRunFeed(int capacity = RecentRunFeed.DefaultCapacity, int maxPerRead = RecentRunFeed.DefaultMaxPerRead)
{
    public const int DefaultCapacity = 8192;
    public const int DefaultMaxPerRead = 4096;

    private readonly RunRecord[] _ring = new RunRecord[capacity];

    public Guid Epoch { get; } = Guid.NewGuid();

    public int Capacity => _ring.Length;

    /// <summary>The sequence number of the latest run (0 before the first).</summary>
    public long Sequence { get; private set; }

    public void Append(RunRecord record) => _ring[Sequence++ % _ring.Length] = record;

    public RunFeedPage Read(Guid epoch, long afterSequence)
    {
        var oldestKept = Math.Max(0, Sequence - _ring.Length); // the sequence just before the oldest run kept
        if (epoch != Epoch || afterSequence < oldestKept || afterSequence > Sequence)
        {
            return new RunFeedPage(Epoch, Sequence, [], Gap: true);
        }

        var end = Math.Min(Sequence, afterSequence + maxPerRead);
        var runs = new RunRecord[end - afterSequence];
        for (var s = afterSequence; s < end; s++)
        {
            runs[s - afterSequence] = _ring[s % _ring.Length];
        }

        return new RunFeedPage(Epoch, end, runs, Gap: false);
    }
}
