using Microsoft.AspNetCore.Http;
using Sweeps.Silo.Reports;

namespace Sweeps.Silo.Http;

/// <summary>The API's answers: JSON as the console prints it (<see cref="ConsoleJson"/>), and 404s that say what was not found.</summary>
internal static class ApiResults
{
    public static IResult Json<T>(T value) => Results.Text(ConsoleJson.Serialize(value), "application/json");

    public static IResult NotFound(string message) => Results.Json(new { error = message }, statusCode: StatusCodes.Status404NotFound);

    public static IResult NoSweep(string id) => NotFound($"no sweep with id '{id}'");

    /// <summary>A 400 whose message names each bad parameter.</summary>
    public static IResult BadRequest(IEnumerable<string> problems) => Results.Json(new { error = string.Join("; ", problems) }, statusCode: StatusCodes.Status400BadRequest);
}
