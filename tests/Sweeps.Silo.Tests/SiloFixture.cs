using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sweeps.Contracts;
using Sweeps.Core.Specs;
using Sweeps.Kernels;
using Sweeps.Silo.Hosting;
using Sweeps.Tests;

namespace Sweeps.Silo.Tests;

/// <summary>
/// A served silo as <c>sweeps silo --port</c> runs it (SiloHost: Orleans with SQLite storage, Kestrel
/// on a loopback port, the dashboard, one kernel worker so sweeps last long enough to watch), and an
/// HTTP client for it.
/// </summary>
public sealed class SiloFixture : IAsyncLifetime, IAsyncDisposable
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "sweeps-silo-tests-" + Guid.NewGuid().ToString("N")[..8]);
    private IHost? _host;

    /// <summary>The bearer token the silo requires (none when null).</summary>
    public string? Token { get; init; }

    /// <summary>Whether the silo serves the web dashboard (as without <c>--no-dashboard</c>).</summary>
    public bool Dashboard { get; init; } = true;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public IGrainFactory Grains => _host!.Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        var httpPort = LoopbackPorts.Next();
        var settings = new SiloHost.Settings(null, "silo-tests", LoopbackPorts.Next(), LoopbackPorts.Next(), IPAddress.Loopback,
            _dataDirectory, Workers: 1, LogLevel.Warning)
        {
            HttpPort = httpPort,
            Token = Token,
            Dashboard = Dashboard,
            RequestsPerMinute = 0, // the tests ask far more often than a person would; the limit has its own test (ClusterCommandTests)
        };
        Directory.CreateDirectory(_dataDirectory);
        _host = SiloHost.Build(settings);
        await _host.StartAsync();
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort}");
        Http = new HttpClient { BaseAddress = BaseAddress };
        if (Token is not null)
        {
            Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }
    }

    /// <summary>Starts a sweep of <paramref name="yaml"/> under <paramref name="id"/>, as <c>sweeps submit</c> does.</summary>
    public async Task<ISweepGrain> StartSweepAsync(string id, string yaml)
    {
        var spec = new SweepSpecParser(KernelCatalog.Default).Parse(yaml).Spec ?? throw new InvalidOperationException("test spec is invalid");
        var sweep = Grains.GetGrain<ISweepGrain>(id);
        await sweep.Start(spec);
        return sweep;
    }

    public static async Task<SweepStatus> WaitUntilEndedAsync(ISweepGrain sweep)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            if (await sweep.GetStatus() is { HasEnded: true } status)
            {
                return status;
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_host is not null)
        {
            await _host.StopAsync();
            _host.Dispose();
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFixture>
{
    public const string Name = "silo";
}

/// <summary>Sweep specs for the dashboard tests.</summary>
internal static class TestSweeps
{
    /// <summary>126 runs of tens of milliseconds on one worker: several seconds, long enough to watch progress.</summary>
    public const string Watchable = """
        name: watchable
        simulator: quadratic
        grid:
          peak_lr: {log_space: [0.01, 2.56], points: 7}
          warmup_steps: [0, 100]
          model_size: [32768, 65536, 131072]
          total_steps: [2000, 4000, 8000]
        laws: [chinchilla, optimal_lr]
        concurrency: 1
        reuse: false   # several tests watch it run: none reads another's finished runs
        """;

    /// <summary>Three runs of a few seconds each, one at a time: there is always a run part-way to watch.</summary>
    public const string Slow = """
        name: slow
        simulator: quadratic
        grid:
          peak_lr: [0.01, 0.02, 0.04]
          model_size: 16384
          total_steps: 400000
        concurrency: 1
        curve_points: 400
        laws: []
        reuse: false   # several tests watch it run: none reads another's finished runs
        """;

    /// <summary>24 quick runs, one at a time, of which ASHA stops most at its rungs.</summary>
    public const string Stopping = """
        name: stopping
        simulator: quadratic
        grid:
          peak_lr: {log_space: [0.02, 1.5], points: 6}
          model_size: [32, 128]
          total_steps: [300, 900]
        concurrency: 1
        laws: []
        adaptive: {stop: asha}
        reuse: false   # each test sees its runs judged, not read from the other's sweep
        """;

    /// <summary>A quick sweep with diverging runs and a curve law.</summary>
    public const string Small = """
        name: small
        simulator: quadratic
        grid:
          peak_lr: {log_space: [0.05, 3.2], points: 7}
          model_size: [16, 64, 256]
          total_steps: [200, 800]
          schedule: [cosine, constant]
        schedules:
          cosine: {kind: cosine, final_lr_ratio: 0.1}
          constant: {kind: constant}
        laws: [chinchilla, optimal_lr, power]
        concurrency: 8
        """;
}
