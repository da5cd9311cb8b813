using Sweeps.Contracts;
using Sweeps.Laws.Scaling;

namespace Sweeps.Grains;

/// <summary>
/// The predictions a law-fit grain was asked for, in memory: each ticket's question, the stages it
/// has reached and its answer. A prediction is a query, not a record: it is not stored, and the
/// oldest are forgotten past <see cref="Kept"/>. The stages are appended from the worker pool while
/// the grain reads them, so a ticket guards them with a lock.
/// </summary>
internal sealed class PredictionTickets
{
    /// <summary>Predictions remembered per sweep (a dashboard asks a handful of questions).</summary>
    public const int Kept = 32;

    private readonly List<Ticket> _tickets = [];
    private int _last;

    /// <summary>The ticket already asked <paramref name="key"/> with <paramref name="finishedRuns"/> finished, unless it failed.</summary>
    public int? Find(string key, long finishedRuns) =>
        _tickets.LastOrDefault(t => t.Key == key && t.FinishedRuns == finishedRuns && t.Progress().Error is null)?.Number;

    public Ticket Add(string key, long finishedRuns)
    {
        var ticket = new Ticket(++_last, key, finishedRuns);
        _tickets.Add(ticket);
        if (_tickets.Count > Kept && _tickets.FindIndex(t => !t.IsRunning) is var oldest and >= 0)
        {
            _tickets.RemoveAt(oldest); // running tickets stay: their callers are still asking
        }

        return ticket;
    }

    public PredictionProgress Progress(int number) => _tickets.Find(t => t.Number == number)?.Progress() ?? PredictionProgress.Unknown;

    internal sealed class Ticket(int number, string key, long finishedRuns)
    {
        private readonly Lock _gate = new();
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private readonly List<string> _stages = [];
        private (ScalePrediction? Prediction, int Runs, int Curves, string? Error)? _end;

        public int Number { get; } = number;

        public string Key { get; } = key;

        public long FinishedRuns { get; } = finishedRuns;

        public bool IsRunning
        {
            get
            {
                lock (_gate)
                {
                    return _end is null;
                }
            }
        }

        /// <summary>Notes a stage reached (from any thread).</summary>
        public void Stage(string what)
        {
            lock (_gate)
            {
                _stages.Add(FormattableString.Invariant($"{_clock.Elapsed.TotalSeconds,5:F1} s  {what}"));
            }
        }

        public void End(ScalePrediction? prediction, int runs, int curves, string? error = null)
        {
            lock (_gate)
            {
                _end = (prediction, runs, curves, error);
            }
        }

        public PredictionProgress Progress()
        {
            lock (_gate)
            {
                return _end is { } end
                    ? new PredictionProgress(true, false, [.. _stages], end.Prediction, end.Runs, end.Curves, end.Error)
                    : new PredictionProgress(true, true, [.. _stages], null, 0, 0, null);
            }
        }
    }
}
