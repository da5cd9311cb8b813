using System.Threading.RateLimiting;
using Sweeps.Contracts;

namespace Sweeps.Silo.Hosting;

/// <summary>
/// At most so many sweeps started a minute on this silo (a token bucket: the whole allowance at
/// once, then one more every 60/N seconds): a script that submits in a loop is refused with
/// <see cref="SubmitRefusedException"/> instead of filling the cluster's storage with sweeps. Every
/// <see cref="ISweepGrain.Start"/> counts, resubmits included; it is checked on the silo that hosts
/// the sweep, so a cluster of k silos accepts up to k·N a minute. Reads are never limited here.
/// </summary>
public sealed class SubmitRateLimit : IIncomingGrainCallFilter, IDisposable
{
    public const int DefaultPerMinute = 60;

    private readonly int _perMinute;
    private readonly TokenBucketRateLimiter _bucket;

    public SubmitRateLimit(int perMinute)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perMinute, 1);
        _perMinute = perMinute;
        _bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod is { Name: nameof(ISweepGrain.Start) } method && method.DeclaringType == typeof(ISweepGrain))
        {
            using var lease = _bucket.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                var wait = TimeSpan.FromMinutes(1) / _perMinute;
                throw new SubmitRefusedException(
                    $"this silo accepts at most {_perMinute} submits a minute (its --submit-limit); nothing was started, submit again in {Math.Ceiling(wait.TotalSeconds):F0} s");
            }
        }

        await context.Invoke();
    }

    public void Dispose() => _bucket.Dispose();
}
