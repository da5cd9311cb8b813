using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Sweeps.Silo.Http;

/// <summary>
/// The silo's HTTP authentication: with <c>SWEEPS_TOKEN</c> set, every request must carry
/// <c>Authorization: Bearer TOKEN</c> (401 otherwise). A silo refuses to serve HTTP beyond loopback
/// without one. Clients send the token from their own <c>SWEEPS_TOKEN</c>. A browser cannot add a
/// header to a page it navigates to, so it opens <c>/?token=TOKEN</c> once: the silo answers with
/// an HTTP-only, same-site cookie holding the token and redirects to the address without it; the
/// pages' requests then carry the cookie.
/// </summary>
public static class BearerToken
{
    public const string Variable = "SWEEPS_TOKEN";

    /// <summary>The cookie a browser keeps the token in.</summary>
    public const string Cookie = "sweeps_token";

    /// <summary>The query parameter a browser presents the token with, once.</summary>
    public const string QueryParameter = "token";

    public static string? FromEnvironment() => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } token ? token : null;

    public static Func<HttpContext, RequestDelegate, Task> Require(string token)
    {
        var expectedHeader = Encoding.UTF8.GetBytes("Bearer " + token);
        var expectedToken = Encoding.UTF8.GetBytes(token);
        bool Matches(byte[] expected, string? given) =>
            given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected);

        return (context, next) =>
        {
            var request = context.Request;
            if (Matches(expectedHeader, request.Headers.Authorization.ToString()) || Matches(expectedToken, request.Cookies[Cookie]))
            {
                return next(context);
            }

            if (HttpMethods.IsGet(request.Method) && Matches(expectedToken, request.Query[QueryParameter].ToString()))
            {
                context.Response.Cookies.Append(Cookie, token, new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    Secure = request.IsHttps,
                    Path = "/",
                });
                var query = QueryString.Create(request.Query.Where(q => q.Key != QueryParameter));
                context.Response.Redirect(request.PathBase + request.Path + query);
                return Task.CompletedTask;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return context.Response.WriteAsync(
                $"This silo requires its bearer token: send 'Authorization: Bearer $SWEEPS_TOKEN', or open /?{QueryParameter}=… once in a browser.\n");
        };
    }
}
