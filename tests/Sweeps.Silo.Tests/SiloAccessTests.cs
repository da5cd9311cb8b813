using System.Net;
using System.Net.Http.Headers;
using Sweeps.Tests;

namespace Sweeps.Silo.Tests;

/// <summary>Who may read a silo over HTTP, and what it serves without its dashboard.</summary>
[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public sealed class SiloAccessTests
{
    [Fact]
    public async Task With_a_token_the_api_and_the_pages_need_it_and_a_browser_presents_it_once_for_a_cookie()
    {
        await using var silo = new SiloFixture { Token = "s3cret-token" };
        await silo.InitializeAsync();
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = silo.BaseAddress };

        foreach (var path in new[] { "/", "/sweeps/x", "/api/sweeps", "/api/sweeps/x/events", "/metrics", "/orleans/", "/assets/sweep.js" })
        {
            using var refused = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var wrong = await anonymous.GetAsync("/?token=guess");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "guess");
        using var wrongBearer = await anonymous.GetAsync("/api/sweeps");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongBearer.StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = null;

        // The token in the address: a cookie, and a redirect to the same page without it.
        using var login = await anonymous.GetAsync("/sweeps/x?token=s3cret-token&tab=laws");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/sweeps/x?tab=laws", login.Headers.Location?.OriginalString);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("sweeps_token=s3cret-token", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var withCookie = new HttpRequestMessage(HttpMethod.Get, "/api/sweeps");
        withCookie.Headers.Add("Cookie", "sweeps_token=s3cret-token");
        Assert.Equal(HttpStatusCode.OK, (await anonymous.SendAsync(withCookie)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/")).StatusCode); // the bearer header
    }

    [Fact]
    public async Task Without_its_dashboard_a_silo_serves_the_api_and_metrics_only()
    {
        await using var silo = new SiloFixture { Dashboard = false };
        await silo.InitializeAsync();

        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/api/sweeps")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/metrics")).StatusCode);
        foreach (var path in new[] { "/", "/sweeps/x", "/orleans/", "/assets/sweep.js" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await silo.Http.GetAsync(path)).StatusCode);
        }
    }
}
