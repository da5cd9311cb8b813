namespace Sweeps.Grains;

/// <summary>
/// Runs kernels off the grain scheduler on at most <see cref="Workers"/> thread-pool threads at
/// once (default: one per core), so long simulations never starve grain turns and a silo never
/// runs more kernels than it has cores.
/// </summary>
public sealed class KernelWorkerPool(int workers) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(workers, workers);

    public KernelWorkerPool() : this(Environment.ProcessorCount) { }

    public int Workers { get; } = workers;

    /// <summary>Kernels running or waiting for a slot.</summary>
    public int Queued => Volatile.Read(ref _queued);

    private int _queued;

    public async Task<T> RunAsync<T>(Func<CancellationToken, T> work, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _queued);
        try
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await Task.Run(() => work(cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _slots.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }
    }

    public void Dispose() => _slots.Dispose();
}
