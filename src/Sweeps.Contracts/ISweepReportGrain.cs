using Sweeps.Laws;

namespace Sweeps.Contracts;

/// <summary>
/// What a sweep's own grains report to it (key: the sweep id; the same activation as its
/// <see cref="ISweepGrain"/>): run results and the fits. Kept apart from the client-facing interface,
/// because only the run, task and law-fit grains may call these.
/// </summary>
[Alias("sweeps.sweep-report")]
public interface ISweepReportGrain : IGrainWithStringKey
{
    /// <summary>A run grain reports its result; a result already recorded is counted and dropped.</summary>
    [Alias("report")]
    Task ReportResult(RunResult result);

    /// <summary>A run-task grain reports its runs' results together; each is recorded as <see cref="ReportResult"/> does.</summary>
    [Alias("report-many")]
    Task ReportResults(IReadOnlyList<RunResult> results);

    /// <summary>The law-fit grain reports the sweep's fits; the sweep is then complete.</summary>
    [Alias("fits")]
    Task ReportFits(IReadOnlyList<FitReport> fits);
}
