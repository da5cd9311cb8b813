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
    private readonly Dictionary<string, KeyIndex> _byKey = [];
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
    /// this run keeps (<paramref name="recordAt"/>), or null. Candidates are found by a hash of the
    /// LR prefix at each checkpoint step present (one pass over the run's LRs), then confirmed
    /// element for element, so a lookup costs O(T) however many checkpoints are kept.
    /// </summary>
    public Checkpoint? Deepest(string key, double[] learningRates, int[] recordAt)
    {
        lock (_lock)
        {
            if (!_byKey.TryGetValue(key, out var index))
            {
                return null;
            }

            var steps = index.Steps.GetViewBetween(1, learningRates.Length).ToArray();
            var hashes = PrefixHashes(learningRates, steps);
            for (var i = steps.Length - 1; i >= 0; i--)
            {
                var step = steps[i];
                if (!index.Nodes.TryGetValue((step, hashes[i]), out var nodes))
                {
                    continue;
                }

                foreach (var node in nodes)
                {
                    var checkpoint = node.Value;
                    if (learningRates.AsSpan(0, step).SequenceEqual(checkpoint.LearningRates.AsSpan(0, step))
                        && recordAt.TakeWhile(r => r <= step).All(r => Array.BinarySearch(checkpoint.Steps, r) >= 0))
                    {
                        return Continue(node, recordAt);
                    }
                }
            }

            return null;
        }
    }

    private Checkpoint Continue(LinkedListNode<Checkpoint> node, int[] recordAt)
    {
        _recency.Remove(node);
        _recency.AddFirst(node);
        var found = node.Value;
        var keep = Enumerable.Range(0, found.Steps.Length).Where(i => Array.BinarySearch(recordAt, found.Steps[i]) >= 0).ToArray();
        return found with
        {
            State = found.State.Copy(),
            Steps = [.. keep.Select(i => found.Steps[i])],
            Lrs = [.. keep.Select(i => found.Lrs[i])],
            Losses = [.. keep.Select(i => found.Losses[i])],
        };
    }

    /// <summary>Keeps a checkpoint (the caller passes a copy it will not touch again), unless one with the same prefix is there already.</summary>
    public void Put(Checkpoint checkpoint)
    {
        lock (_lock)
        {
            if (!_byKey.TryGetValue(checkpoint.Key, out var index))
            {
                _byKey[checkpoint.Key] = index = new KeyIndex();
            }

            var step = checkpoint.State.Step;
            var slot = (step, PrefixHashes(checkpoint.LearningRates, [step])[0]);
            if (!index.Nodes.TryGetValue(slot, out var nodes))
            {
                index.Nodes[slot] = nodes = [];
            }

            if (nodes.Any(n => n.Value.Steps.SequenceEqual(checkpoint.Steps)
                && checkpoint.LearningRates.AsSpan(0, step).SequenceEqual(n.Value.LearningRates.AsSpan(0, step))))
            {
                return;
            }

            nodes.Add(_recency.AddFirst(checkpoint));
            index.Add(step);
            _bytes += checkpoint.Bytes;
            while (_bytes > maxBytes && _recency.Last is { } oldest)
            {
                _recency.RemoveLast();
                Forget(oldest);
                _bytes -= oldest.Value.Bytes;
            }
        }
    }

    private void Forget(LinkedListNode<Checkpoint> node)
    {
        var checkpoint = node.Value;
        var index = _byKey[checkpoint.Key];
        var step = checkpoint.State.Step;
        var slot = (step, PrefixHashes(checkpoint.LearningRates, [step])[0]);
        var nodes = index.Nodes[slot];
        nodes.Remove(node);
        if (nodes.Count == 0)
        {
            index.Nodes.Remove(slot);
        }

        index.Remove(step);
        if (index.Nodes.Count == 0)
        {
            _byKey.Remove(checkpoint.Key);
        }
    }

    /// <summary>A 64-bit hash of <c>learningRates[0..s)</c> for each of the ascending <paramref name="steps"/>, in one pass.</summary>
    private static ulong[] PrefixHashes(double[] learningRates, int[] steps)
    {
        var hashes = new ulong[steps.Length];
        var hash = 14695981039346656037UL; // FNV-1a offset basis, over whole 64-bit words
        var at = 0;
        for (var i = 0; i < steps.Length; i++)
        {
            for (; at < steps[i]; at++)
            {
                hash = (hash ^ (ulong)BitConverter.DoubleToInt64Bits(learningRates[at])) * 1099511628211UL;
            }

            hashes[i] = hash;
        }

        return hashes;
    }

    /// <summary>One key's checkpoints by (step, prefix hash), and the steps at which any exist.</summary>
    private sealed class KeyIndex
    {
        private readonly Dictionary<int, int> _perStep = [];

        public SortedSet<int> Steps { get; } = [];

        public Dictionary<(int Step, ulong Hash), List<LinkedListNode<Checkpoint>>> Nodes { get; } = [];

        public void Add(int step)
        {
            _perStep[step] = _perStep.GetValueOrDefault(step) + 1;
            Steps.Add(step);
        }

        public void Remove(int step)
        {
            if (--_perStep[step] == 0)
            {
                _perStep.Remove(step);
                Steps.Remove(step);
            }
        }
    }
}
