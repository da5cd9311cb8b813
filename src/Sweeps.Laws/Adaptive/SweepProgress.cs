using Sweeps.Core.Grid;

namespace Sweeps.Laws.Adaptive;

/// <summary>
/// What a sweep has seen of its runs so far, as the stopping rules read it: every run's progress
/// (running, finished or stopped) by model size and horizon, and the law rule's latest prediction of
/// each. Not thread-safe: one sweep decides at a time.
/// </summary>
public sealed class SweepProgress
{
    private readonly Dictionary<(double ModelSize, int TotalSteps), Dictionary<long, RunProgress>> _cells = [];
    private readonly Dictionary<long, List<Prediction>> _predictions = [];
    private readonly HashSet<long> _stopped = [];

    /// <summary>Records how far a run has got (a finished run: its whole curve).</summary>
    public void Observe(RunProgress progress) => CellOf(progress.Run)[progress.Run.Index] = progress;

    /// <summary>Records that a run was stopped where it is.</summary>
    public void Stopped(RunProgress progress)
    {
        Observe(progress);
        _stopped.Add(progress.Run.Index);
    }

    public bool IsStopped(long index) => _stopped.Contains(index);

    /// <summary>Every run seen of <paramref name="run"/>'s model size and horizon, itself included.</summary>
    public IEnumerable<RunProgress> Cell(RunDefinition run) => CellOf(run).Values;

    /// <summary>The runs of that model size and horizon that reached their last step with a finite loss.</summary>
    public IEnumerable<RunProgress> Completed(RunDefinition run) => Cell(run).Where(p => p.Completed);

    /// <summary>
    /// The runs of that model size that reached their last step with a finite loss at its horizon or a
    /// shorter one.
    /// </summary>
    public IEnumerable<RunProgress> CompletedUpTo(RunDefinition run) =>
        _cells.Where(c => c.Key.ModelSize == run.ModelSize && c.Key.TotalSteps <= run.TotalSteps).SelectMany(c => c.Value.Values).Where(p => p.Completed);

    /// <summary>Every run seen, of every model size and horizon.</summary>
    public IEnumerable<RunProgress> All() => _cells.Values.SelectMany(c => c.Values);

    /// <param name="Fraction">How far into its run the prediction was made.</param>
    /// <param name="Scale">The unit of its error: the relative RMS residual of the fit that made it.</param>
    public sealed record Prediction(double Fraction, double Predicted, double Scale);

    /// <summary>Keeps a prediction of a run's final loss made at a share of its horizon, to be scored once the run finishes.</summary>
    public void Predicted(long index, double fraction, double predictedFinal, double scale = 1.0)
    {
        if (!_predictions.TryGetValue(index, out var list))
        {
            _predictions[index] = list = [];
        }

        list.Add(new Prediction(fraction, predictedFinal, scale));
    }

    /// <summary>The last prediction made for a run (null: none).</summary>
    public Prediction? LatestPrediction(long index) => _predictions.TryGetValue(index, out var made) ? made[^1] : null;

    /// <summary>
    /// One error per completed run, (predicted − actual) / predicted in units of the prediction's
    /// <see cref="Prediction.Scale"/>: that of the latest prediction made for it at or before
    /// <paramref name="fraction"/> of its horizon. Predictions made earlier in a run are less accurate,
    /// so scoring a prediction at <paramref name="fraction"/> with these errs on the wide side.
    /// </summary>
    public List<double> PredictionErrors(double fraction)
    {
        var errors = new List<double>();
        foreach (var progress in All())
        {
            if (progress.Completed && _predictions.TryGetValue(progress.Run.Index, out var made)
                && made.LastOrDefault(p => p.Fraction <= fraction + 1e-9) is { Predicted: > 0, Scale: > 0 } latest)
            {
                errors.Add((latest.Predicted - progress.LatestLoss) / latest.Predicted / latest.Scale);
            }
        }

        return errors;
    }

    private Dictionary<long, RunProgress> CellOf(RunDefinition run)
    {
        var key = (run.ModelSize, run.TotalSteps);
        if (!_cells.TryGetValue(key, out var cell))
        {
            _cells[key] = cell = [];
        }

        return cell;
    }
}
