using Sweeps.Contracts;

namespace Sweeps.Grains.Ledger;

/// <summary>
/// The record of a sweep's finished runs, paged by grid index so that a sweep of a million runs
/// neither holds nor rewrites a million records: page <c>p</c> holds indices
/// <c>[p·PageSize, (p+1)·PageSize)</c> and is stored on its own. Only the pages touched since the
/// last <see cref="FlushAsync"/> stay in memory (with dispatch in grid order, one or two); the rest
/// are summarised by a count each, so a complete page is skipped without being read and a page
/// never written is known to be empty. Counts by status and step totals are derived from the pages
/// (<see cref="LoadAsync"/>), never stored apart from them, so a crash between two writes cannot
/// make them disagree.
/// </summary>
public sealed class RunLedger
{
    public const int DefaultPageSize = 4096;

    private readonly IRunPageStore _store;
    private int[] _finishedPerPage;
    private readonly Dictionary<int, ResidentPage> _resident = [];
    private LedgerSummary _summary = new();

    public RunLedger(long totalRuns, IRunPageStore store, int pageSize = DefaultPageSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalRuns);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        (TotalRuns, PageSize, _store) = (totalRuns, pageSize, store);
        _finishedPerPage = new int[checked((int)((totalRuns + pageSize - 1) / pageSize))];
    }

    public long TotalRuns { get; private set; }

    public int PageSize { get; }

    /// <summary>Every finished run recorded, stored or not yet.</summary>
    public LedgerSummary Summary => _summary;

    /// <summary>The finished runs as stored: at the last <see cref="FlushAsync"/> that wrote every page, or <see cref="LoadAsync"/>.</summary>
    public LedgerSummary Stored { get; private set; } = new();

    public long Finished => _summary.Finished;

    /// <summary>Pages held in memory now: what bounds the ledger's memory.</summary>
    public int ResidentPages => _resident.Count;

    public bool IsComplete => Finished == TotalRuns;

    /// <summary>Makes room for runs added to the sweep (grid refinement), at indices up to <paramref name="totalRuns"/>.</summary>
    public async Task GrowAsync(long totalRuns)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalRuns, TotalRuns);
        await FlushAsync();
        if (TotalRuns > 0)
        {
            _resident.Remove(PageOf(TotalRuns - 1)); // clean after the flush; read again at its new length
        }

        TotalRuns = totalRuns;
        Array.Resize(ref _finishedPerPage, checked((int)((totalRuns + PageSize - 1) / PageSize)));
    }

    /// <summary>Reads every stored page once to rebuild the summary (a resumed sweep); keeps none in memory.</summary>
    public async Task LoadAsync()
    {
        _resident.Clear();
        _summary = new LedgerSummary();
        for (var page = 0; page < _finishedPerPage.Length; page++)
        {
            var (records, _) = await _store.ReadAsync(page);
            _finishedPerPage[page] = records.Count;
            foreach (var record in records)
            {
                _summary.Add(record);
            }
        }

        Stored = _summary.Copy();
    }

    /// <summary>The first index at or after <paramref name="from"/> that has no record, or null when there is none.</summary>
    public async ValueTask<long?> NextUnfinishedAsync(long from)
    {
        for (var index = from; index < TotalRuns;)
        {
            var page = PageOf(index);
            if (_finishedPerPage[page] == PageLength(page))
            {
                index = (long)(page + 1) * PageSize; // complete: skipped unread
                continue;
            }

            if (_finishedPerPage[page] == 0 && !_resident.ContainsKey(page))
            {
                return index; // nothing recorded in it
            }

            var resident = await PageAsync(page);
            for (var end = Math.Min(TotalRuns, (long)(page + 1) * PageSize); index < end; index++)
            {
                if (resident.Slots[index - resident.First] is null)
                {
                    return index;
                }
            }
        }

        return null;
    }

    public async ValueTask<bool> IsFinishedAsync(long index)
    {
        var page = PageOf(index);
        if (_finishedPerPage[page] == PageLength(page) || _finishedPerPage[page] == 0 && !_resident.ContainsKey(page))
        {
            return _finishedPerPage[page] > 0;
        }

        var resident = await PageAsync(page);
        return resident.Slots[index - resident.First] is not null;
    }

    /// <summary>Records a finished run; false (and nothing changes) when its index already has a record.</summary>
    public async ValueTask<bool> TryRecordAsync(RunRecord record)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(record.Index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(record.Index, TotalRuns);
        var page = PageOf(record.Index);
        var resident = await PageAsync(page);
        ref var slot = ref resident.Slots[record.Index - resident.First];
        if (slot is not null)
        {
            return false;
        }

        slot = record;
        resident.Dirty = true;
        _finishedPerPage[page]++;
        _summary.Add(record);
        return true;
    }

    /// <summary>
    /// Writes the pages changed since the last flush, then lets go of every page not touched since
    /// it: memory holds what the sweep is working on, not what it has done.
    /// </summary>
    public async Task FlushAsync()
    {
        foreach (var (page, resident) in _resident.OrderBy(p => p.Key).ToList())
        {
            if (resident.Dirty)
            {
                // Cleared before the write: a record added while it is in flight marks the page again.
                resident.Dirty = false;
                try
                {
                    resident.ETag = await WriteAsync(page, resident);
                }
                catch
                {
                    resident.Dirty = true;
                    throw;
                }
            }
            else if (!resident.Touched)
            {
                _resident.Remove(page);
            }

            resident.Touched = false;
        }

        Stored = _summary.Copy();
    }

    /// <summary>
    /// Writes a page. A stale ETag means the stored page changed since it was read: an earlier write
    /// of this ledger whose reply was lost (Redis restarting between the two), or, in a split brain, a
    /// second activation of the sweep. Either way the stored records are merged in (a record is a
    /// finished run, and a run's index has one result, whoever recorded it) and the union written.
    /// </summary>
    private async Task<string?> WriteAsync(int page, ResidentPage resident)
    {
        try
        {
            return await _store.WriteAsync(page, resident.Records(), resident.ETag);
        }
        catch (Orleans.Storage.InconsistentStateException)
        {
            var (stored, eTag) = await _store.ReadAsync(page);
            foreach (var record in stored)
            {
                ref var slot = ref resident.Slots[record.Index - resident.First];
                if (slot is null)
                {
                    slot = record;
                    _finishedPerPage[page]++;
                    _summary.Add(record);
                }
            }

            return await _store.WriteAsync(page, resident.Records(), eTag);
        }
    }

    /// <summary>The finished runs with index ≥ <paramref name="from"/>, in grid order, at most <paramref name="maxCount"/>.</summary>
    public async Task<IReadOnlyList<RunRecord>> ReadAsync(long from, int maxCount)
    {
        var records = new List<RunRecord>();
        if (from >= TotalRuns)
        {
            return records; // and far past the grid, its page number would not fit an int
        }

        for (var page = PageOf(Math.Max(0, from)); page < _finishedPerPage.Length && records.Count < maxCount; page++)
        {
            if (_finishedPerPage[page] == 0)
            {
                continue;
            }

            // Read through: a page read for a reader is not kept.
            IEnumerable<RunRecord> pageRecords = _resident.TryGetValue(page, out var resident) ? resident.Records() : (await _store.ReadAsync(page)).Records.OrderBy(r => r.Index);
            records.AddRange(pageRecords.Where(r => r.Index >= from).Take(maxCount - records.Count));
        }

        return records;
    }

    /// <summary>Every finished run in grid order, a page at a time.</summary>
    public async IAsyncEnumerable<RunRecord> ReadAllAsync()
    {
        for (long from = 0; ;)
        {
            var batch = await ReadAsync(from, PageSize);
            if (batch.Count == 0)
            {
                yield break;
            }

            foreach (var record in batch)
            {
                yield return record;
            }

            from = batch[^1].Index + 1;
        }
    }

    private async ValueTask<ResidentPage> PageAsync(int page)
    {
        if (!_resident.TryGetValue(page, out var resident))
        {
            resident = new ResidentPage((long)page * PageSize, PageLength(page));
            if (_finishedPerPage[page] > 0)
            {
                var (records, eTag) = await _store.ReadAsync(page);
                resident.ETag = eTag;
                foreach (var record in records)
                {
                    resident.Slots[record.Index - resident.First] = record;
                }
            }

            _resident[page] = resident;
        }

        resident.Touched = true;
        return resident;
    }

    private int PageOf(long index) => (int)(index / PageSize);

    private int PageLength(int page) => (int)Math.Min(PageSize, TotalRuns - (long)page * PageSize);

    private sealed class ResidentPage(long first, int length)
    {
        public long First { get; } = first;

        public RunRecord?[] Slots { get; } = new RunRecord?[length];

        public string? ETag { get; set; }

        public bool Dirty { get; set; }

        public bool Touched { get; set; }

        public List<RunRecord> Records() => [.. Slots.OfType<RunRecord>()];
    }
}
