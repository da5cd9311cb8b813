using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;

namespace Sweeps.Silo.Dashboard;

/// <summary>
/// The web dashboard's pages: <c>/</c> (the cluster's sweeps and silos) and <c>/sweeps/{id}</c> (one
/// sweep, live). Pages, scripts and the charting library are resources of this assembly served
/// under <c>/assets/</c>; the pages read the JSON API and the sweep's event stream.
/// </summary>
internal static class DashboardPages
{
    private static readonly EmbeddedFileProvider Files = new(typeof(DashboardPages).Assembly, "Sweeps.Silo.wwwroot");

    public static void Map(WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions { FileProvider = Files, RequestPath = "/assets" });
        app.MapGet("/", () => Page("index.html"));
        app.MapGet("/sweeps/{id:sweepid}", (string id) => Page("sweep.html"));
    }

    private static IResult Page(string name) =>
        Microsoft.AspNetCore.Http.Results.Stream(Files.GetFileInfo(name).CreateReadStream(), "text/html; charset=utf-8");
}
