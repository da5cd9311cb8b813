using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Sweeps.Grains.Hosting;

namespace Sweeps.Silo.Http;

/// <summary>
/// The probes of a service manager (Kubernetes, a load balancer): <c>/healthz</c> answers 200 while
/// the process serves HTTP; <c>/readyz</c> answers 200 when the silo is an active member of its
/// cluster and its storage answers, 503 with the reason otherwise (a storage outage: the silo keeps
/// its in-flight runs and retries its writes, but should not be sent new work). They answer before
/// authentication, because probes carry no token, and say nothing beyond ready or not and why.
/// </summary>
public static class HealthProbes
{
    public const string Live = "/healthz";

    public const string Ready = "/readyz";

    public static async Task Answer(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) || !(path == Live || path == Ready))
        {
            await next(context);
            return;
        }

        var problem = path == Ready ? await ReadinessProblemAsync(context.RequestServices, context.RequestAborted) : null;
        context.Response.StatusCode = problem is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(problem is null ? new { status = "ok" } : (object)new { status = "not ready", reason = problem });
    }

    private static async Task<string?> ReadinessProblemAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var membership = services.GetRequiredService<IClusterMembershipService>();
        var self = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var status = membership.CurrentSnapshot.GetSiloStatus(self);
        if (status != SiloStatus.Active)
        {
            return $"silo is {status.ToString().ToLowerInvariant()} in its cluster, not active";
        }

        return await services.GetRequiredService<StorageProbe>().ProblemAsync(cancellationToken);
    }
}
