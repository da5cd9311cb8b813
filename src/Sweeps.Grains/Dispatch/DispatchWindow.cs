using Sweeps.Core.Grid;
using Sweeps.Grains.Ledger;

namespace Sweeps.Grains.Dispatch;

/// <summary>
/// Which units of a sweep's work are in flight, and which come next. A unit is what one grain is
/// handed: a run, or a task of <c>runs_per_task</c> consecutive runs, named by its first grid index.
/// Units are taken in grid order (or a stopping sweep's <see cref="DispatchOrder"/>, whose runs are
/// single units) from a cursor that skips what the <see cref="RunLedger"/> has recorded; a unit whose
/// dispatch failed goes back in line ahead of the cursor. At most one of each unit is in flight. A plain
/// class (no Orleans), so it is tested on its own; the sweep grain decides how many to keep in flight
/// and sends them.
/// </summary>
public sealed class DispatchWindow(RunLedger ledger, int taskSize, DispatchOrder? order = null)
{
    private readonly HashSet<long> _inFlight = [];
    private readonly Queue<long> _retry = new();
    private long _cursor;

    /// <summary>Units in flight now.</summary>
    public int Count => _inFlight.Count;

    /// <summary>The unit a run belongs to: the run itself, or the first index of its task.</summary>
    public long UnitOf(long index) => index - index % taskSize;

    /// <summary>The units in flight, lowest first.</summary>
    public IReadOnlyList<long> InFlight => [.. _inFlight.Order()];

    /// <summary>
    /// The next unit with an unfinished run, now counted in flight: a failed one first, then the
    /// cursor's; null when every unit with an unfinished run is already in flight.
    /// </summary>
    public async ValueTask<long?> TakeAsync()
    {
        while (_retry.TryDequeue(out var retry))
        {
            // Still worth sending only if a run of it is unfinished (its report may have come in since).
            if (await ledger.NextUnfinishedAsync(retry) is { } unfinished && UnitOf(unfinished) == retry && _inFlight.Add(retry))
            {
                return retry;
            }
        }

        while (await NextUnfinishedAsync(_cursor) is { } next)
        {
            var unit = UnitOf(next.Index);
            _cursor = order is null ? unit + taskSize : next.Position + 1; // a task's other runs go with it
            if (_inFlight.Add(unit))
            {
                return unit;
            }
        }

        _cursor = ledger.TotalRuns;
        return null;
    }

    /// <summary>The first run at or after <paramref name="from"/> in dispatch order that the ledger has not recorded, and its position in that order.</summary>
    private async ValueTask<(long Position, long Index)?> NextUnfinishedAsync(long from)
    {
        if (order is null)
        {
            return await ledger.NextUnfinishedAsync(from) is { } index ? (index, index) : null;
        }

        for (var position = from; position < ledger.TotalRuns; position++)
        {
            var index = order.IndexAt(position);
            if (!await ledger.IsFinishedAsync(index))
            {
                return (position, index);
            }
        }

        return null;
    }

    /// <summary>A unit reported: a task reports all its runs at once, duplicates included; a run, itself.</summary>
    public void Reported(long index) => _inFlight.Remove(UnitOf(index));

    /// <summary>Sending <paramref name="unit"/> failed: it goes back in line, ahead of the cursor.</summary>
    public void Failed(long unit)
    {
        if (_inFlight.Remove(unit))
        {
            _retry.Enqueue(unit);
        }
    }

    /// <summary>Forgets what is in flight (a cancel); returns it, to be told to stop.</summary>
    public IReadOnlyList<long> Clear()
    {
        var running = InFlight;
        _inFlight.Clear();
        _retry.Clear();
        return running;
    }

    /// <summary>Starts again from the first unfinished run (a sweep submitted again after a cancel: what was in flight then lies behind the cursor).</summary>
    public void Rewind() => _cursor = 0;
}
