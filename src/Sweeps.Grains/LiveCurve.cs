using Sweeps.Core.Curves;
using Sweeps.Kernels;
using Sweeps.Kernels.ExternalRuns;

namespace Sweeps.Grains;

/// <summary>
/// The curve of a running run as its kernel records it (and a command run's last log lines):
/// written on the kernel's worker thread, read by the run grain for whoever watches, hence the lock
/// (a few hundred points a run, so contention is nil).
/// </summary>
/// <param name="hasLog">A command run: its snapshots carry its log tail (empty until it writes one).</param>
internal sealed class LiveCurve(long index, int totalSteps, bool hasLog = false) : ICurveObserver, IRunLogObserver
{
    /// <summary>Log lines kept of a running command run: what a glance at a dashboard needs.</summary>
    public const int LogTailLines = 20;

    private readonly object _gate = new();
    private readonly Queue<string> _log = new();
    private readonly List<int> _steps = [];
    private readonly List<double> _lrs = [];
    private readonly List<double> _losses = [];

    /// <summary>Forgets the points so far: the run is starting again (a retried command run).</summary>
    public void Restart()
    {
        lock (_gate)
        {
            _steps.Clear();
            _lrs.Clear();
            _losses.Clear();
            _log.Clear();
        }
    }

    public void Logged(string line)
    {
        lock (_gate)
        {
            _log.Enqueue(line);
            if (_log.Count > LogTailLines)
            {
                _log.Dequeue();
            }
        }
    }

    public void Recorded(int step, double lr, double loss)
    {
        lock (_gate)
        {
            _steps.Add(step);
            _lrs.Add(lr);
            _losses.Add(loss);
        }
    }

    /// <summary>The points so far, every k-th to stay within <paramref name="maxPoints"/>, the latest always included.</summary>
    public Contracts.LiveRun Snapshot(int maxPoints)
    {
        lock (_gate)
        {
            var count = _steps.Count;
            var picks = CurveThinning.Indices(count, maxPoints);
            var curve = new Curve(picks.Select(i => _steps[i]).ToArray(), picks.Select(i => _lrs[i]).ToArray(), picks.Select(i => _losses[i]).ToArray());
            return new Contracts.LiveRun(index, count == 0 ? 0 : _steps[^1], totalSteps, curve) { LogTail = hasLog ? [.. _log] : null };
        }
    }
}
