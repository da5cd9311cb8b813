namespace Sweeps.Grains;

/// <summary>
/// The silo's compute: kernels and law fits run here, off the grain scheduler, on at most
/// <see cref="Workers"/> thread-pool threads at once (default: one per core), so long simulations
/// and fits never starve grain turns and a silo never runs more of them than it has cores. Waiting work is served fairly across owners (sweeps):
/// a freed slot goes to the next owner in turn, each owner's work in arrival order, so a sweep of
/// a million runs cannot starve a small sweep submitted after it to the same silos.
/// </summary>
public sealed class ComputePool(int workers) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<TaskCompletionSource>> _waiting = [];
    private readonly Queue<string> _turns = new();
    private int _free = workers;
    private int _queued;

    public ComputePool() : this(Environment.ProcessorCount) { }

    public int Workers { get; } = workers;

    /// <summary>Kernels running or waiting for a slot.</summary>
    public int Queued => Volatile.Read(ref _queued);

    public async Task<T> RunAsync<T>(Func<CancellationToken, T> work, string owner = "", CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _queued);
        try
        {
            await AcquireAsync(owner, cancellationToken).ConfigureAwait(false);
            try
            {
                return await Task.Run(() => work(cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }
    }

    private Task AcquireAsync(string owner, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource slot;
        lock (_gate)
        {
            if (_free > 0 && _turns.Count == 0)
            {
                _free--;
                return Task.CompletedTask;
            }

            slot = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_waiting.TryGetValue(owner, out var queue))
            {
                _waiting[owner] = queue = new Queue<TaskCompletionSource>();
                _turns.Enqueue(owner);
            }

            queue.Enqueue(slot);
        }

        if (cancellationToken.CanBeCanceled)
        {
            // A cancelled waiter stays queued but completed; Release skips it.
            var registration = cancellationToken.Register(() => slot.TrySetCanceled(cancellationToken));
            _ = slot.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }

        return slot.Task;
    }

    /// <summary>Hands the freed slot to the next owner in turn, or keeps it free when nobody waits.</summary>
    private void Release()
    {
        lock (_gate)
        {
            while (_turns.TryDequeue(out var owner))
            {
                var queue = _waiting[owner];
                var next = queue.Dequeue();
                if (queue.Count > 0)
                {
                    _turns.Enqueue(owner);
                }
                else
                {
                    _waiting.Remove(owner);
                }

                if (next.TrySetResult())
                {
                    return;
                }
            }

            _free++;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var waiter in _waiting.Values.SelectMany(q => q))
            {
                waiter.TrySetCanceled();
            }

            _waiting.Clear();
            _turns.Clear();
        }
    }
}
