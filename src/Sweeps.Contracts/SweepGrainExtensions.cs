namespace Sweeps.Contracts;

public static class SweepGrainExtensions
{
    /// <summary>Every finished run of the sweep in grid order, fetched a page at a time.</summary>
    public static async IAsyncEnumerable<RunRecord> ReadRunsAsync(this ISweepGrain sweep, int pageSize = 4096)
    {
        for (long from = 0; ;)
        {
            var page = await sweep.GetRuns(from, pageSize);
            if (page.Count == 0)
            {
                yield break;
            }

            foreach (var record in page)
            {
                yield return record;
            }

            from = page[^1].Index + 1;
        }
    }

    /// <summary>Every finished run of the sweep in grid order, in one list.</summary>
    public static async Task<IReadOnlyList<RunRecord>> GetAllRunsAsync(this ISweepGrain sweep)
    {
        var runs = new List<RunRecord>();
        await foreach (var record in sweep.ReadRunsAsync())
        {
            runs.Add(record);
        }

        return runs;
    }
}
