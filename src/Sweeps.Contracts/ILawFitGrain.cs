using Sweeps.Laws;

namespace Sweeps.Contracts;

/// <summary>Fits laws to a sweep's finished runs (key: the sweep id) and keeps every version of the fits.</summary>
[Alias("sweeps.law-fit")]
public interface ILawFitGrain : IGrainWithStringKey
{
    /// <summary>
    /// Fits <paramref name="laws"/>: final-loss laws to <paramref name="points"/>, curve laws to
    /// <paramref name="curves"/>, with <paramref name="bootstrap"/> resamples for intervals (null: the laws' defaults).
    /// </summary>
    [Alias("fit")]
    Task<IReadOnlyList<FitReport>> Fit(IReadOnlyList<string> laws, IReadOnlyList<FinalLossPoint> points, IReadOnlyList<RunCurve> curves, int? bootstrap);

    /// <summary>
    /// Starts the same fit in the background and returns at once; the sweep grain of this id is
    /// sent the result (<see cref="ISweepGrain.ReportFits"/>). Fits of large sweeps outlast any
    /// sensible request timeout. A second call while a fit runs is ignored.
    /// </summary>
    [Alias("start")]
    Task Start(IReadOnlyList<string> laws, IReadOnlyList<FinalLossPoint> points, IReadOnlyList<RunCurve> curves, int? bootstrap);

    /// <summary>The latest fits (empty before the first).</summary>
    [Alias("latest")]
    Task<IReadOnlyList<FitReport>> GetLatest();
}
