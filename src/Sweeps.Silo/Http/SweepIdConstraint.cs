using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sweeps.Core.Specs;

namespace Sweeps.Silo.Http;

/// <summary>
/// The route constraint <c>{id:sweepid}</c>: a path segment that could be a sweep id
/// (<see cref="SweepNames.IsPlausibleId"/>). Any other (blank, a space, 5,000 characters, a NUL)
/// matches no endpoint and gets the API's JSON 404; without it a blank id reached Orleans, which
/// refuses an empty grain key with an exception (a 500).
/// </summary>
internal sealed class SweepIdConstraint : IRouteConstraint
{
    public const string Name = "sweepid";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && value is string id && SweepNames.IsPlausibleId(id);
}
