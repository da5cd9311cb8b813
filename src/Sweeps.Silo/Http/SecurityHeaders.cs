using Microsoft.AspNetCore.Http;

namespace Sweeps.Silo.Http;

/// <summary>
/// The headers every answer of the silo's HTTP port carries: no MIME sniffing, no framing (the
/// dashboard cannot be clickjacked), no referrer (a URL may hold a sweep id), and for Sweeps' own
/// pages and API a content security policy that allows only the silo's own scripts (the pages have
/// no inline script; the charts set styles, hence 'unsafe-inline' for styles only). The Orleans
/// dashboard under /orleans ships inline scripts of its own and gets the other headers only.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>Largest request body the port accepts: its API reads no body.</summary>
    public const long MaximumRequestBodyBytes = 64 * 1024;

    public static Task Add(HttpContext context, RequestDelegate next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (!context.Request.Path.StartsWithSegments("/orleans"))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
        }

        return next(context);
    }
}
