using System.Globalization;

namespace Sweeps.Kernels;

/// <summary>
/// Checkpoints of runs, shared by the runs of one silo, so that runs whose schedules agree on their
/// first s steps (and whose kernel, options, model size and seed agree) simulate that prefix once:
/// a WSD sweep over the decay start, WSD-S branches, horizon sweeps at constant LR. A checkpoint
/// holds a copy of the state and the curve recorded up to its step; a run continues from the
/// deepest checkpoint whose LR prefix equals its own, element for element, and whose records
/// include every step the run records up to there (the <see cref="CurveSteps"/> grids nest, so a
/// longer run can continue a shorter one). Bounded in bytes; the least recently used checkpoints
/// go first. Thread-safe.
/// </summary>
public sealed class PrefixCache(long maxBytes = 256L << 20)
{
    /// <summary>Checkpoints are taken every T/16 steps, and at the end.</summary>
    public const int CheckpointsPerRun = 16;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<LinkedListNode<Checkpoint>>> _byKey = [];
    private readonly LinkedList<Checkpoint> _recency = new();
    private long _bytes;

    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>A checkpoint: the producing run's LR array (shared, not copied), the state after <c>State.Step</c> updates and the curve recorded so far.</summary>
    public sealed record Checkpoint(string Key, double[] LearningRates, KernelState State, int[] Steps, double[] Lrs, double[] Losses)
    {
        public long Bytes => State.Bytes + 24L * Steps.Length + 64;
    }

    /// <summary>Everything but the schedule that must agree for two runs to share a prefix.</summary>
    public static string KeyOf(string kernel, bool vectorised, KernelRun run) =>
        string.Join('|', kernel, vectorised ? "simd" : "scalar", run.ModelSize.ToString("R", CultureInfo.InvariantCulture), run.Seed.ToString(CultureInfo.InvariantCulture),
            string.Join(',', run.Options.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value.ToString("R", CultureInfo.InvariantCulture)}")));

    /// <summary>The steps at which a run of <paramref name="totalSteps"/> steps leaves checkpoints.</summary>
    public static IEnumerable<int> CheckpointSteps(int totalSteps)
    {
        var stride = Math.Max(1, totalSteps / CheckpointsPerRun);
        for (var s = stride; s < totalSteps; s += stride)
        {
            yield return s;
        }

        yield return totalSteps;
    }

    /// <summary>
    /// The deepest checkpoint this run can continue from, as a private copy with only the records
    /// this run keeps (<paramref name="recordAt"/>), or null.
    /// </summary>
    public Checkpoint? Deepest(string key, double[] learningRates, int[] recordAt)
    {
        lock (_lock)
        {
            if (!_byKey.TryGetValue(key, out var nodes))
            {
                return null;
            }

            LinkedListNode<Checkpoint>? best = null;
            foreach (var node in nodes)
            {
                var checkpoint = node.Value;
                var step = checkpoint.State.Step;
                if (step <= learningRates.Length
                    && (best is null || step > best.Value.State.Step)
                    && learningRates.AsSpan(0, step).SequenceEqual(checkpoint.LearningRates.AsSpan(0, step))
                    && recordAt.TakeWhile(r => r <= step).All(r => Array.BinarySearch(checkpoint.Steps, r) >= 0))
                {
                    best = node;
                }
            }

            if (best is null)
            {
                return null;
            }

            _recency.Remove(best);
            _recency.AddFirst(best);
            var found = best.Value;
            var keep = Enumerable.Range(0, found.Steps.Length).Where(i => Array.BinarySearch(recordAt, found.Steps[i]) >= 0).ToArray();
            return found with
            {
                State = found.State.Copy(),
                Steps = [.. keep.Select(i => found.Steps[i])],
                Lrs = [.. keep.Select(i => found.Lrs[i])],
                Losses = [.. keep.Select(i => found.Losses[i])],
            };
        }
    }

    /// <summary>Keeps a checkpoint (the caller passes a copy it will not touch again), unless one with the same prefix is there already.</summary>
    public void Put(Checkpoint checkpoint)
    {
        lock (_lock)
        {
            if (!_byKey.TryGetValue(checkpoint.Key, out var nodes))
            {
                nodes = [];
                _byKey[checkpoint.Key] = nodes;
            }

            var step = checkpoint.State.Step;
            if (nodes.Any(n => n.Value.State.Step == step && n.Value.Steps.SequenceEqual(checkpoint.Steps)
                && checkpoint.LearningRates.AsSpan(0, step).SequenceEqual(n.Value.LearningRates.AsSpan(0, step))))
            {
                return;
            }

            nodes.Add(_recency.AddFirst(checkpoint));
            _bytes += checkpoint.Bytes;
            while (_bytes > maxBytes && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                _byKey[oldest.Value.Key].Remove(oldest);
                _bytes -= oldest.Value.Bytes;
            }
        }
    }
}
