using Sweeps.Contracts;

namespace Sweeps.Grains.Ledger;

/// <summary>
/// What a set of finished runs adds up to: how many, by status, their steps and the best final loss.
/// Derived from records only (<see cref="Add"/>), so it can be rebuilt from the stored pages at any time.
/// </summary>
public sealed class LedgerSummary
{
    private readonly Dictionary<RunStatus, long> _counts = [];

    public long Finished { get; private set; }

    /// <summary>Σ steps of the finished runs, and how many of them their kernels simulated.</summary>
    public long TotalSteps { get; private set; }

    public long SimulatedSteps { get; private set; }

    /// <summary>The lowest final loss of a succeeded run (NaN before the first), and its grid index (−1).</summary>
    public double BestFinalLoss { get; private set; } = double.NaN;

    public long BestRunIndex { get; private set; } = -1;

    /// <summary>Finished runs by status.</summary>
    public IReadOnlyDictionary<RunStatus, long> Counts => _counts;

    public void Add(RunRecord record)
    {
        Finished++;
        _counts[record.Status] = _counts.GetValueOrDefault(record.Status) + 1;
        TotalSteps += record.TotalSteps;
        SimulatedSteps += record.SimulatedSteps;
        // Ties go to the lower index, so the best run does not depend on the order runs finished in.
        if (record.Status.HasFinalLoss() && double.IsFinite(record.FinalLoss)
            && (!(BestFinalLoss <= record.FinalLoss) || record.FinalLoss == BestFinalLoss && record.Index < BestRunIndex))
        {
            (BestFinalLoss, BestRunIndex) = (record.FinalLoss, record.Index);
        }
    }

    public LedgerSummary Copy()
    {
        var copy = new LedgerSummary
        {
            Finished = Finished,
            TotalSteps = TotalSteps,
            SimulatedSteps = SimulatedSteps,
            BestFinalLoss = BestFinalLoss,
            BestRunIndex = BestRunIndex,
        };
        foreach (var (status, count) in _counts)
        {
            copy._counts[status] = count;
        }

        return copy;
    }
}
