using Sweeps.Laws;

namespace Sweeps.Contracts;

/// <summary>Fits laws to a sweep's finished runs (key: the sweep id) and keeps every version of the fits.</summary>
[Alias("sweeps.law-fit")]
public interface ILawFitGrain : IGrainWithStringKey
{
    [Alias("fit")]
    Task<IReadOnlyList<FitReport>> Fit(IReadOnlyList<string> laws, IReadOnlyList<FinalLossPoint> points);

    /// <summary>The latest fits (empty before the first).</summary>
    [Alias("latest")]
    Task<IReadOnlyList<FitReport>> GetLatest();
}
