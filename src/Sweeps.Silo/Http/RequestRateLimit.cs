using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Sweeps.Silo.Http;

/// <summary>
/// At most so many HTTP requests a minute from each client address (ASP.NET Core's own rate limiter,
/// a fixed window per address); more are answered 429 with <c>Retry-After</c>. It sits after the
/// health probes (a prober polls on its own schedule and must never be refused) and before the
/// token check, so that a client guessing tokens is slowed down too. The default is far above what
/// the dashboard needs (a page polls every 2 s; the Orleans Dashboard about once a second).
/// </summary>
public static class RequestRateLimit
{
    public const int DefaultPerMinute = 1200;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Adds the limiter's services; a limit of 0 adds none (no limit).</summary>
    public static void Add(IServiceCollection services, int perMinute)
    {
        if (perMinute <= 0)
        {
            return;
        }

        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, IPAddress>(context =>
                RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress ?? IPAddress.None, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = Window,
                    QueueLimit = 0, // refuse at once: a queued request would only hold a connection open
                }));
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await rejected.HttpContext.Response.WriteAsJsonAsync(
                    new { error = $"more than {perMinute} requests a minute from this address; try again in {seconds} s" }, cancellationToken);
            };
        });
    }

    /// <summary>Puts the limiter in the pipeline, when <see cref="Add"/> added one.</summary>
    public static void Use(WebApplication app, int perMinute)
    {
        if (perMinute > 0)
        {
            app.UseRateLimiter();
        }
    }
}
