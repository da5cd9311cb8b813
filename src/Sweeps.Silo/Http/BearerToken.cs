using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Sweeps.Silo.Http;

/// <summary>
/// The silo's HTTP authentication: with <c>SWEEPS_TOKEN</c> set, every request must carry
/// <c>Authorization: Bearer TOKEN</c> (401 otherwise). A silo refuses to serve HTTP beyond loopback
/// without one. Clients send the token from their own <c>SWEEPS_TOKEN</c>.
/// </summary>
public static class BearerToken
{
    public const string Variable = "SWEEPS_TOKEN";

    public static string? FromEnvironment() => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } token ? token : null;

    public static Func<HttpContext, RequestDelegate, Task> Require(string token)
    {
        var expected = Encoding.UTF8.GetBytes("Bearer " + token);
        return (context, next) =>
        {
            var given = Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString());
            if (CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return next(context);
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Task.CompletedTask;
        };
    }
}
