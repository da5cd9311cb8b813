using Sweeps.Tests;

namespace Sweeps.Silo.Tests;

/// <summary>What an operator scrapes from a silo's /metrics: the service and silo named, and the runtime's, HTTP's and Orleans' series beside Sweeps' own.</summary>
[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public sealed class SiloTelemetryTests
{
    [Fact]
    public async Task Metrics_name_the_service_and_the_silo_and_carry_the_runtime_http_and_orleans_series()
    {
        await using var silo = new SiloFixture { Dashboard = false };
        await silo.InitializeAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await silo.Http.GetAsync("/api/sweeps")).StatusCode); // one HTTP request to count

        var lines = await Eventually.UntilAsync(async () => (await silo.Http.GetStringAsync("/metrics")).Split('\n'),
            metrics => metrics.Any(l => l.StartsWith("http_server_request_duration_seconds", StringComparison.Ordinal)), "the HTTP request in /metrics");

        var target = Assert.Single(lines, l => l.StartsWith("target_info{", StringComparison.Ordinal));
        Assert.Contains("service_name=\"sweeps\"", target);
        Assert.Contains($"service_instance_id=\"{System.Net.Dns.GetHostName()}-", target);
        Assert.Contains("sweeps_cluster_id=\"silo-tests\"", target);
        Assert.Contains(lines, l => l.StartsWith("dotnet_gc_", StringComparison.Ordinal));           // System.Runtime
        Assert.Contains(lines, l => l.StartsWith("kestrel_", StringComparison.Ordinal));             // Kestrel's connections
        Assert.Contains(lines, l => l.StartsWith("orleans_", StringComparison.Ordinal));             // grain calls, activations, messaging
    }
}
