namespace Sweeps.Contracts;

/// <summary>
/// Fits a sweep's laws (key: the sweep id), keeps every version of its fits, and predicts from them
/// at a new scale. It reads the fit inputs itself (<see cref="FitInputs"/>: the sweep's finished
/// runs and their curves) and fits on the silo's worker pool, in the background: a fit or a
/// prediction of a large sweep outlasts any sensible call timeout, so callers start one and then
/// ask for it by number.
/// </summary>
[Alias("sweeps.law-fit")]
public interface ILawFitGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts fitting <paramref name="laws"/> to the sweep's finished runs so far, with
    /// <paramref name="bootstrap"/> resamples for intervals (null: the laws' defaults); returns the
    /// number of the version it will be. With <paramref name="reportToSweep"/> (the sweep's own fit at
    /// its end) the sweep grain is sent the result (<see cref="ISweepReportGrain.ReportFits"/>); a second
    /// such call while that fit runs returns the same version. Fits run one after another.
    /// </summary>
    [Alias("start")]
    Task<int> Start(IReadOnlyList<string> laws, int? bootstrap, bool reportToSweep);

    /// <summary>Version <paramref name="version"/>: done, still fitting, or neither.</summary>
    [Alias("version")]
    Task<FitVersionState> GetVersion(int version);

    /// <summary>Every version kept, oldest first.</summary>
    [Alias("versions")]
    Task<IReadOnlyList<FitVersion>> GetVersions();

    /// <summary>
    /// Starts predicting the recommended configuration for <paramref name="request"/> from the
    /// sweep's finished runs and curves (<c>ScalePredictor</c>); returns its ticket. The same question
    /// asked again while no run of the sweep has finished since gets the same ticket (and answer).
    /// Predictions queue with the fits, one at a time per sweep; the last few are kept in memory.
    /// </summary>
    [Alias("start-prediction")]
    Task<int> StartPrediction(PredictionRequest request);

    /// <summary>Prediction <paramref name="ticket"/>: running (with its stages so far), ended, or unknown.</summary>
    [Alias("prediction")]
    Task<PredictionProgress> GetPrediction(int ticket);
}
