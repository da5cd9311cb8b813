using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sweeps.Silo.Hosting;
using Sweeps.Tests;

namespace Sweeps.Cli.Tests;

/// <summary>
/// The cluster from the console, with real processes: a Redis server of the test's own (Debian's
/// redis-server, which CI installs) and <c>sweeps silo</c> processes on it, driven by the client commands.
/// </summary>
[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
public sealed class ClusterCommandTests : IAsyncLifetime, IDisposable
{
    private readonly TestSilos _silos = new();
    private readonly ScratchDirectory _scratch = new();
    private RedisServer? _redis;
    private AzuriteServer? _azurite; // started by the tests of a cluster on Azure Storage only

    private int _redisPort => _redis!.Port;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    /// <summary>Stops the silos first (xUnit calls this before <see cref="Dispose"/>), so that none writes to Redis or the scratch folder as they go.</summary>
    public Task DisposeAsync()
    {
        _silos.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _redis?.Dispose();
        _azurite?.Dispose();
        _scratch.Dispose();
    }

    [Fact]
    public async Task Two_silos_on_redis_run_a_submitted_sweep_to_completion()
    {
        var redis = $"127.0.0.1:{_redisPort}";
        var cluster = $"test-{Guid.NewGuid():N}";
        await StartSiloAsync("--redis", redis, "--cluster-id", cluster);
        await StartSiloAsync("--redis", redis, "--cluster-id", cluster);

        var (submitted, stdout, stderr) = await SweepsProcess.RunAsync(RepositoryPaths.Root, "submit", "examples/random-feature.yaml", "--cluster", redis, "--cluster-id", cluster);
        Assert.True(submitted == 0, stderr);
        var id = stdout.Trim().Split('\n')[^1].Trim();

        var (watched, _, watchErrors) = await SweepsProcess.RunAsync(_scratch.Path, "watch", id, "--cluster", redis, "--cluster-id", cluster);
        Assert.True(watched == 0, watchErrors);

        var (_, json, _) = await SweepsProcess.RunAsync(_scratch.Path, "status", id, "--cluster", redis, "--cluster-id", cluster, "--json");
        using var document = JsonDocument.Parse(json);
        Assert.Equal("completed", document.RootElement.GetProperty("state").GetString());
        var counts = document.RootElement.GetProperty("counts");
        Assert.Equal(144, counts.GetProperty("succeeded").GetInt32() + counts.GetProperty("diverged").GetInt32());
        Assert.Equal(0, counts.GetProperty("failed").GetInt32());
        // A healthy cluster starts and runs quietly: no warning in either silo's log (Orleans' ServerGC
        // note was printed twice at every start).
        Assert.All(_silos.Silos, silo => Assert.DoesNotContain("warn:", _silos.LogOf(silo)));
    }

    /// <summary>
    /// A cluster's storage for a test: the options a silo and a client command take to reach it, on
    /// this test's Redis or on an Azurite of its own (started on first use).
    /// </summary>
    private async Task<(string[] Silo, string[] Client)> StorageAsync(string kind, string clusterId)
    {
        if (kind == "redis")
        {
            var redis = $"127.0.0.1:{_redisPort}";
            return (["--redis", redis, "--cluster-id", clusterId], ["--cluster", redis, "--cluster-id", clusterId]);
        }

        _azurite ??= await AzuriteServer.StartAsync();
        string[] azure = ["--storage", "azure", "--azure-connection-string", _azurite.ConnectionString, "--cluster-id", clusterId];
        return (azure, azure);
    }

    [Fact]
    public async Task Two_silos_on_azure_storage_configured_from_the_environment_run_a_submitted_sweep_to_completion()
    {
        // Storage and connection string from the environment alone, as a container orchestrator sets
        // them; the connection string is a secret, so no output of a silo or a client may show it.
        _azurite ??= await AzuriteServer.StartAsync();
        var environment = new Dictionary<string, string> { ["SWEEPS_STORAGE"] = "azure", ["SWEEPS_AZURE_CONNECTION_STRING"] = _azurite.ConnectionString };
        var cluster = $"azure-{Guid.NewGuid():N}";
        await StartSiloAsync(environment, "--cluster-id", cluster);
        await StartSiloAsync(environment, "--cluster-id", cluster);

        var (submitted, stdout, stderr) = await SweepsProcess.RunAsync(RepositoryPaths.Root, environment, "submit", "examples/random-feature.yaml", "--cluster-id", cluster);
        Assert.True(submitted == 0, stderr);
        var id = stdout.Trim().Split('\n')[^1].Trim();
        var (watched, _, watchErrors) = await SweepsProcess.RunAsync(_scratch.Path, environment, "watch", id, "--storage", "azure", "--cluster-id", cluster);
        Assert.True(watched == 0, watchErrors);

        var (_, json, _) = await SweepsProcess.RunAsync(_scratch.Path, environment, "status", id, "--cluster-id", cluster, "--json");
        using var document = JsonDocument.Parse(json);
        Assert.Equal("completed", document.RootElement.GetProperty("state").GetString());
        var counts = document.RootElement.GetProperty("counts");
        Assert.Equal(144, counts.GetProperty("succeeded").GetInt32() + counts.GetProperty("diverged").GetInt32());
        var key = _azurite.ConnectionString.Split("AccountKey=")[1].Split(';')[0];
        // (A quiet start is asserted on Redis; on Azurite a silo may warn once while the second joins.)
        Assert.All(_silos.Silos, silo => Assert.DoesNotContain(key, _silos.LogOf(silo)));

        Assert.DoesNotContain(key, stdout + stderr + watchErrors);
    }

    [Theory]
    [InlineData("redis")]
    [InlineData("azure")]
    public async Task A_published_silo_configured_from_the_environment_alone_joins_a_cluster_and_runs_a_sweep(string storage)
    {
        // What deploy/Dockerfile copies into the image (`dotnet publish`), started as its entrypoint
        // starts it: `sweeps silo` and nothing else, every setting from the environment the chart sets.
        var published = Path.Combine(_scratch.Path, "published");
        using (var publish = SweepsProcess.StartExecutable("dotnet", RepositoryPaths.Root, null, "publish", "src/Sweeps.Cli", "-c", "Release", "--no-build", "-o", published))
        {
            var output = publish.StandardOutput.ReadToEndAsync();
            var errors = await publish.StandardError.ReadToEndAsync();
            await publish.WaitForExitAsync();
            Assert.True(publish.ExitCode == 0, await output + errors);
        }

        var cluster = $"env-{Guid.NewGuid():N}";
        var (_, client) = await StorageAsync(storage, cluster);
        var httpPort = "";
        for (var i = 0; i < 2; i++)
        {
            var environment = new Dictionary<string, string>
            {
                ["SWEEPS_STORAGE"] = storage,
                [storage == "redis" ? "SWEEPS_REDIS" : "SWEEPS_AZURE_CONNECTION_STRING"] = storage == "redis" ? $"127.0.0.1:{_redisPort}" : _azurite!.ConnectionString,
                ["ORLEANS_CLUSTER_ID"] = cluster,
                ["ORLEANS_SERVICE_ID"] = "published", // membership is kept under it: a client must name it to find the silos
                ["SWEEPS_SILO_PORT"] = FreePort().ToString(),
                ["SWEEPS_GATEWAY_PORT"] = FreePort().ToString(),
                ["SWEEPS_HTTP_PORT"] = FreePort().ToString(),
                ["SWEEPS_WORKERS"] = "1",
                ["SWEEPS_LOG_FORMAT"] = "json",
            };
            var silo = await _silos.ReadyAsync(SweepsProcess.StartExecutable(Path.Combine(published, "sweeps"), _scratch.Path, environment, "silo"));
            Assert.Contains($"cluster {cluster}, silo port {environment["SWEEPS_SILO_PORT"]}, gateway port {environment["SWEEPS_GATEWAY_PORT"]}, http port {environment["SWEEPS_HTTP_PORT"]}", _silos.ReadyLine(silo));
            Assert.Contains(storage == "redis" ? $"redis 127.0.0.1:{_redisPort}" : "azure storage http://127.0.0.1:", _silos.ReadyLine(silo));
            httpPort = environment["SWEEPS_HTTP_PORT"];
        }

        client = [.. client, "--service-id", "published"];
        var id = await SubmitAsync("examples/random-feature.yaml", client);
        using var document = await WatchToCompletionAsync(id, client, runs: 144);
        // A client given a silo's HTTP port learns the cluster and service ids from it.
        var (status, statusOut, statusErrors) = await SweepsProcess.RunAsync(_scratch.Path, "status", id, "--cluster", $"127.0.0.1:{httpPort}");
        Assert.True(status == 0, statusErrors);
        Assert.Contains("completed", statusOut);
        // Its logs are JSON, one object a line, as SWEEPS_LOG_FORMAT asked (the sweep's start and end among them).
        var lines = _silos.Silos.SelectMany(silo => _silos.LogOf(silo).Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Contains(lines, line => line.Contains(id, StringComparison.Ordinal));
        Assert.All(lines, line => JsonDocument.Parse(line).Dispose());
        // Each line names the silo that wrote it (host and silo port), as the silo's telemetry does.
        Assert.All(lines, line => Assert.Matches($"\"silo\": ?\"{Regex.Escape(System.Net.Dns.GetHostName())}-\\d+\"", line));
    }

    [Fact]
    public async Task A_silo_refuses_a_storage_or_setting_it_cannot_use_without_showing_the_connection_string()
    {
        await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "--storage azure needs --azure-connection-string", "silo", "--storage", "azure");
        await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "--storage redis needs --redis", "silo", "--storage", "redis");
        await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "a lone silo takes neither", "silo", "--storage", "sqlite", "--redis", "127.0.0.1:6379");
        var (exitCode, stdout, stderr) = await SweepsProcess.RunAsync(_scratch.Path, "silo", "--storage", "azure", "--azure-connection-string", "AccountKey=s3cret-key;garbage");
        Assert.Equal(2, exitCode);
        Assert.Contains("not an Azure Storage connection string", stderr);
        Assert.DoesNotContain("s3cret-key", stdout + stderr);
        await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "not an Azure Storage connection string", "status", "--azure-connection-string", "nonsense");

        // A setting from the environment that does not parse names its variable.
        var (envExit, _, envErrors) = await SweepsProcess.RunAsync(_scratch.Path, new Dictionary<string, string> { ["SWEEPS_SILO_PORT"] = "eleven" }, "silo");
        Assert.Equal(2, envExit);
        Assert.Contains("SWEEPS_SILO_PORT: expected a whole number, got 'eleven'", envErrors);
    }

    [Theory]
    [InlineData("redis")]
    [InlineData("azure")]
    public async Task A_sweep_survives_a_silo_killed_in_the_middle_and_records_every_run_once(string storage)
    {
        // Three silos on one store; one is killed (SIGKILL) while the sweep runs. The sweep must still
        // complete, every run recorded once (a run on the dead silo is executed again elsewhere).
        var (silo, client) = await StorageAsync(storage, $"kill-{Guid.NewGuid():N}");
        var silos = new List<Process>();
        for (var i = 0; i < 3; i++)
        {
            silos.Add(await StartSiloAsync([.. silo, "--workers", "1"]));
        }

        var (submitted, stdout, stderr) = await SweepsProcess.RunAsync(RepositoryPaths.Root, ["submit", "examples/cluster.yaml", .. client]);
        Assert.True(submitted == 0, stderr);
        var id = stdout.Trim().Split('\n')[^1].Trim();

        // The kill lands mid-sweep: once some runs have finished, while it still runs (a condition, not a clock).
        await FinishedRunsAfterAsync(id, client, atLeast: 12);

        silos[1].Kill(entireProcessTree: true);

        // Client commands right after the kill connect through the failover: membership still lists the
        // dead silo's gateway for a while, and each new client picks its gateway at random (before the
        // connection was retried, one `watch` in two failed here with a stack trace).
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var (exitCode, _, errors) = await SweepsProcess.RunAsync(_scratch.Path, ["status", id, .. client]);
            Assert.True(exitCode == 0, $"status {attempt + 1} after the kill: {errors}");
        }

        using var _ = await WatchToCompletionAsync(id, client, runs: 288);
    }

    [Fact]
    public async Task A_silo_killed_mid_sweep_takes_its_training_processes_with_it_and_their_runs_complete_elsewhere()
    {
        // Each run is a process that names itself after the silo that started it (its supervisor's
        // parent, from /proc: no procps needed), leaves a silent helper (a 20 s sleep, as a data loader
        // would be: it never writes, so no broken pipe would stop it), and trains for about three seconds.
        var pids = Directory.CreateDirectory(Path.Combine(_scratch.Path, "pids")).FullName;
        _scratch.Write("train.sh", $$"""
            silo=$(cut -d ' ' -f 4 /proc/$PPID/stat)
            sleep 20 &
            touch "{{pids}}/$silo-$!"
            i=1
            while [ $i -le 15 ]; do echo "{\"step\": $i, \"loss\": $(( 100 - i ))}"; sleep 0.2; i=$((i + 1)); done
            """);
        var spec = _scratch.Write("real.yaml", $$"""
            name: real-kill
            simulator:
              name: command
              command: ["/bin/sh", "{{_scratch.Path}}/train.sh"]
              slots: 2
              heartbeat_timeout: 30s
            grid:
              peak_lr: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
              model_size: 1
              total_steps: 15
            concurrency: 4
            laws: []
            """);
        var redis = $"127.0.0.1:{_redisPort}";
        string[] cluster = ["--cluster", redis, "--cluster-id", $"real-{Guid.NewGuid():N}"];
        var silos = new List<Process>();
        for (var i = 0; i < 2; i++)
        {
            silos.Add(await StartSiloAsync(["--redis", redis, .. cluster[2..]]));
        }

        var id = await SubmitAsync(spec, cluster);
        string[] RunsOf(Process silo) => Directory.GetFiles(pids, $"{silo.Id}-*");
        // Runs are placed at random, so the victim is whichever silo started one first (waiting for a
        // particular silo failed once in 256 sweeps, when all eight runs went to the other).
        var victim = (await Eventually.UntilAsync(() => Task.FromResult(silos.FirstOrDefault(silo => RunsOf(silo).Length > 0)),
            silo => silo is not null, "a run to start on either silo", TimeSpan.FromSeconds(60), every: TimeSpan.FromMilliseconds(100)))!;

        victim.Kill(); // SIGKILL to the silo alone: nothing of it can clean up

        // Its training processes, helpers included, die with it (the supervisor sees the silo's pipe close) …
        static bool Alive(string pidFile) => File.Exists($"/proc/{Path.GetFileName(pidFile).Split('-')[1]}/stat");
        // (helpers end by themselves only at 20 s, so 10 s tells the supervisor's work from theirs)
        await Eventually.UntilAsync(() => Task.FromResult(RunsOf(victim).Count(Alive)), alive => alive == 0,
            "the training processes to die with their silo", TimeSpan.FromSeconds(10), every: TimeSpan.FromMilliseconds(100));

        // … and the sweep completes, each of its runs recorded once.
        using var _ = await WatchToCompletionAsync(id, cluster, runs: 8);
    }

    [Theory]
    [InlineData("redis")]
    [InlineData("azure")]
    public async Task Stopping_every_silo_mid_sweep_and_starting_them_again_resumes_without_rerunning_finished_runs(string storage)
    {
        var (silo, cluster) = await StorageAsync(storage, $"restart-{Guid.NewGuid():N}");
        var silos = new List<Process>();
        for (var i = 0; i < 3; i++)
        {
            silos.Add(await StartSiloAsync([.. silo, "--workers", "1"]));
        }

        var id = await SubmitAsync("examples/cluster.yaml", cluster);
        var before = await FinishedRunsAfterAsync(id, cluster, atLeast: 12);

        // The whole cluster goes down (SIGTERM: each silo stops gracefully and leaves the membership table) …
        await Task.WhenAll(silos.Select(StopAsync));
        // … and comes back as three new processes.
        for (var i = 0; i < 3; i++)
        {
            await StartSiloAsync([.. silo, "--workers", "1"]);
        }

        using var document = await WatchToCompletionAsync(id, cluster, runs: 288);
        // Every run that had finished before the stop was read back, not run again.
        var resumed = document.RootElement.GetProperty("resumed_runs").GetInt32();
        Assert.True(resumed >= before, $"{resumed} runs resumed from storage, {before} had finished before the stop");
    }

    [Fact]
    public async Task A_cluster_id_no_silo_uses_is_named_once_its_patience_is_spent_not_minutes_later()
    {
        var clock = Stopwatch.StartNew();

        var (exitCode, _, stderr) = await SweepsProcess.RunAsync(_scratch.Path, "status", "--cluster", $"127.0.0.1:{_redisPort}", "--cluster-id", "nobody-uses-this");

        Assert.Equal(1, exitCode);
        Assert.Contains("no silo of cluster 'nobody-uses-this' is up: is --cluster-id the one the silos were started with?", stderr);
        Assert.DoesNotContain("warn:", stderr); // said once, not a warning a second
        // Orleans' own start waited three minutes; the command gives up after its 45 s of patience.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"gave up after {clock.Elapsed}");
    }

    [Theory]
    [InlineData("redis")]
    [InlineData("azure")]
    public async Task The_cluster_recovers_when_its_storage_goes_down_mid_sweep(string storage)
    {
        var (silo, cluster, outageAsync) = await StorageWithOutageAsync(storage, $"outage-{Guid.NewGuid():N}");
        var httpPort = FreePort();
        await StartSiloAsync([.. silo, "--workers", "1", "--port", httpPort.ToString()]);
        await StartSiloAsync([.. silo, "--workers", "1"]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);

        var id = await SubmitAsync("examples/cluster.yaml", cluster);
        await FinishedRunsAfterAsync(id, cluster, atLeast: 8);

        await outageAsync(async () =>
        {
            // The silos carry on without it for a while, alive but not ready: storage does not answer.
            using var notReady = await http.GetAsync("/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.Contains("storage", await notReady.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        });
        await Eventually.UntilAsync(async () =>
        {
            using var ready = await http.GetAsync("/readyz");
            return ready.StatusCode;
        }, status => status == HttpStatusCode.OK, $"/readyz to be ready after {storage} came back", TimeSpan.FromSeconds(30), every: TimeSpan.FromMilliseconds(250));

        using var _ = await WatchToCompletionAsync(id, cluster, runs: 288);
    }

    /// <summary>
    /// A storage of the test's own, the silo's and client's options for it, and an outage of it that
    /// loses nothing: Redis with its append-only file killed without a save and started again on the
    /// same port; Azurite frozen and thawed (<see cref="AzuriteServer.FreezeAsync"/>).
    /// </summary>
    private async Task<(string[] Silo, string[] Client, Func<Func<Task>, Task> Outage)> StorageWithOutageAsync(string kind, string clusterId)
    {
        if (kind == "redis")
        {
            var data = Directory.CreateDirectory(Path.Combine(_scratch.Path, "redis-aof")).FullName;
            var port = FreePort();
            var server = await StartRedisAsync(port, data);
            var redis = $"127.0.0.1:{port}";
            async Task OutageAsync(Func<Task> whileDown)
            {
                server.Kill(entireProcessTree: true); // no shutdown save: only the AOF survives
                await server.WaitForExitAsync();
                await whileDown();
                server = await StartRedisAsync(port, data);
            }

            return (["--redis", redis, "--cluster-id", clusterId], ["--cluster", redis, "--cluster-id", clusterId], OutageAsync);
        }

        Assert.Null(_azurite);
        _azurite = await AzuriteServer.StartAsync();
        string[] azure = ["--storage", "azure", "--azure-connection-string", _azurite.ConnectionString, "--cluster-id", clusterId];
        return (azure, azure, _azurite.FreezeAsync);
    }

    private async Task<Process> StartRedisAsync(int port, string directory)
    {
        var redis = Process.Start(new ProcessStartInfo("redis-server",
            ["--port", port.ToString(), "--bind", "127.0.0.1", "--dir", directory, "--save", "", "--appendonly", "yes", "--appendfsync", "always"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        _silos.Keep(redis);
        await WaitForPortAsync(port);
        return redis;
    }

    private static async Task<string> SubmitAsync(string spec, string[] cluster)
    {
        var (submitted, stdout, stderr) = await SweepsProcess.RunAsync(RepositoryPaths.Root, ["submit", spec, .. cluster]);
        Assert.True(submitted == 0, stderr);
        return stdout.Trim().Split('\n')[^1].Trim();
    }

    /// <summary>Watches the sweep to its end and checks it completed with every run recorded and none failed; its status document.</summary>
    private async Task<JsonDocument> WatchToCompletionAsync(string id, string[] cluster, int runs)
    {
        int watched;
        string watchErrors;
        try
        {
            (watched, _, watchErrors) = await SweepsProcess.RunAsync(_scratch.Path, ["watch", id, .. cluster]);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nwhat the silos warned of last:\n{_silos.Warnings()}", e);
        }

        Assert.True(watched == 0, watchErrors);
        var document = await StatusAsync(id, cluster);
        Assert.Equal("completed", document.RootElement.GetProperty("state").GetString());
        var counts = document.RootElement.GetProperty("counts");
        Assert.Equal(runs, counts.GetProperty("succeeded").GetInt32() + counts.GetProperty("diverged").GetInt32());
        Assert.Equal(0, counts.GetProperty("failed").GetInt32());
        return document;
    }

    private async Task<JsonDocument> StatusAsync(string id, string[] cluster)
    {
        var (exitCode, json, stderr) = await SweepsProcess.RunAsync(_scratch.Path, ["status", id, "--json", .. cluster]);
        Assert.True(exitCode == 0, stderr);
        return JsonDocument.Parse(json);
    }

    /// <summary>Waits until the sweep has finished at least <paramref name="atLeast"/> runs and is still running; returns how many.</summary>
    private async Task<int> FinishedRunsAfterAsync(string id, string[] cluster, int atLeast) =>
        await Eventually.UntilAsync(async () =>
        {
            using var document = await StatusAsync(id, cluster);
            var counts = document.RootElement.GetProperty("counts");
            Assert.Equal("running", document.RootElement.GetProperty("state").GetString()); // what follows lands mid-sweep
            return counts.GetProperty("succeeded").GetInt32() + counts.GetProperty("diverged").GetInt32() + counts.GetProperty("failed").GetInt32();
        }, finished => finished >= atLeast, $"sweep {id} to finish {atLeast} runs", TimeSpan.FromMinutes(1), every: TimeSpan.FromMilliseconds(500));

    /// <summary>SIGTERM, as a service manager stops a silo, and waits for it to exit.</summary>
    private static async Task StopAsync(Process silo)
    {
        using (var kill = Process.Start("kill", ["-TERM", silo.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await silo.WaitForExitAsync(timeout.Token);
    }

    [Fact]
    public async Task A_lone_silo_serves_clients_through_its_gateway_and_its_http_port_and_unknown_ids_exit_2()
    {
        var (gatewayPort, httpPort) = (FreePort(), FreePort());
        var silo = await StartSiloAsync("--gateway-port", gatewayPort.ToString(), "--port", httpPort.ToString(), "--data-dir", Path.Combine(_scratch.Path, "silo"), "--log-format", "json");
        var gateway = $"127.0.0.1:{gatewayPort}";

        var (submitted, stdout, stderr) = await SweepsProcess.RunAsync(RepositoryPaths.Root, "submit", "examples/river-valley.yaml", "--gateway", gateway);
        Assert.True(submitted == 0, stderr);
        var id = stdout.Trim().Split('\n')[^1].Trim();
        // The silo's HTTP port stands for the cluster too: it says where the gateway is.
        Assert.Equal(0, (await SweepsProcess.RunAsync(_scratch.Path, "watch", id, "--cluster", $"localhost:{httpPort}")).ExitCode);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        using (var document = JsonDocument.Parse(await http.GetStringAsync($"/api/sweeps/{id}")))
        {
            Assert.Equal("completed", document.RootElement.GetProperty("state").GetString());
            Assert.Equal(84, document.RootElement.GetProperty("counts").GetProperty("succeeded").GetInt32());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/sweeps/no-such-sweep")).StatusCode);

        // Its runs a page at a time, and its fits.
        using (var page = JsonDocument.Parse(await http.GetStringAsync($"/api/sweeps/{id}/runs?from=80&count=10")))
        {
            var runs = page.RootElement.GetProperty("runs").EnumerateArray().ToList();
            Assert.Equal([80, 81, 82, 83], runs.Select(r => r.GetProperty("index").GetInt32()));
            Assert.All(runs, r => Assert.Equal("succeeded", r.GetProperty("status").GetString()));
            // 84 runs: this page is the last, so there is no next one.
            Assert.Equal(JsonValueKind.Null, page.RootElement.GetProperty("next").ValueKind);
        }

        using (var first = JsonDocument.Parse(await http.GetStringAsync($"/api/sweeps/{id}/runs?from=0&count=10")))
        {
            Assert.Equal(10, first.RootElement.GetProperty("runs").GetArrayLength());
            Assert.Equal(10, first.RootElement.GetProperty("next").GetInt64());
        }

        using (var end = JsonDocument.Parse(await http.GetStringAsync($"/api/sweeps/{id}/runs?from=84")))
        {
            Assert.Empty(end.RootElement.GetProperty("runs").EnumerateArray());
            Assert.Equal(JsonValueKind.Null, end.RootElement.GetProperty("next").ValueKind);
        }

        using (var fit = JsonDocument.Parse(await http.GetStringAsync($"/api/sweeps/{id}/fit")))
        {
            Assert.Equal("optimal_lr", Assert.Single(fit.RootElement.GetProperty("fits").EnumerateArray()).GetProperty("law").GetString());
        }

        // /metrics (Prometheus) counts the sweep's 84 runs, each kernel timed once.
        var metrics = (await http.GetStringAsync("/metrics")).Split('\n');
        double Sample(string name, string? label = null) => double.Parse(
            metrics.Single(l => l.StartsWith(name + "{", StringComparison.Ordinal) && (label is null || l.Contains(label, StringComparison.Ordinal))).Split(' ')[^1],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(84, Sample("sweeps_runs_started_total"));
        Assert.Equal(84, Sample("sweeps_runs_finished_total", "status=\"succeeded\""));
        Assert.Equal(84, Sample("sweeps_kernel_duration_seconds_count"));
        Assert.Equal(1, Sample("sweeps_fit_duration_seconds_count"));

        // Its log is structured: one JSON object a line, the sweep id a field of the lifecycle lines.
        var lines = _silos.LogOf(silo).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var lifecycle = lines.Where(l => l.GetProperty("State").TryGetProperty("SweepId", out var sweepId) && sweepId.GetString() == id)
            .Select(l => l.GetProperty("State").GetProperty("{OriginalFormat}").GetString()).ToList();
        Assert.Contains(lifecycle, f => f!.StartsWith("Sweep {SweepId} ({SweepName}) started", StringComparison.Ordinal));
        Assert.Contains(lifecycle, f => f!.StartsWith("Sweep {SweepId} completed", StringComparison.Ordinal));
        var (unknown, _, unknownErrors) = await SweepsProcess.RunAsync(_scratch.Path, "status", "no-such-sweep", "--gateway", gateway);
        Assert.Equal(2, unknown);
        Assert.Contains("no sweep with id 'no-such-sweep'", unknownErrors);
        var (unreachable, _, unreachableErrors) = await SweepsProcess.RunAsync(_scratch.Path, "status", "--cluster", $"127.0.0.1:{FreePort()}");
        Assert.Equal(1, unreachable);
        Assert.Contains("nothing answers there", unreachableErrors);
    }

    [Fact]
    public async Task Curves_ingested_into_a_lone_silo_are_served_by_its_dashboard_api_with_their_fit()
    {
        var (gatewayPort, httpPort) = (FreePort(), FreePort());
        await StartSiloAsync("--gateway-port", gatewayPort.ToString(), "--port", httpPort.ToString(), "--data-dir", Path.Combine(_scratch.Path, "silo"));

        var (ingested, stdout, errors) = await SweepsProcess.RunAsync(_scratch.Path, "ingest", RepositoryPaths.Mpl25mManifest, "--gateway", $"127.0.0.1:{gatewayPort}");
        Assert.True(ingested == 0, errors);
        var id = stdout.Trim().Split('\n')[^1].Trim();

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        using var sweep = JsonDocument.Parse(await http.GetStringAsync($"/api/sweeps/{id}"));
        Assert.Equal("completed", sweep.RootElement.GetProperty("state").GetString());
        Assert.Equal(9, sweep.RootElement.GetProperty("counts").GetProperty("ingested").GetInt32());
        using var curves = JsonDocument.Parse(await http.GetStringAsync($"/api/sweeps/{id}/curves?runs=0,1,2,3,4,5,6,7,8"));
        Assert.Equal(9, curves.RootElement.GetProperty("curves").GetArrayLength());
        // Whole curves, as logged: every row of every CSV (each holds points below its horizon only).
        var logged = Directory.GetFiles(Path.GetDirectoryName(RepositoryPaths.Mpl25mManifest)!, "*.csv").Sum(f => File.ReadLines(f).Count(l => l.Length > 0) - 1);
        Assert.Equal(logged, curves.RootElement.GetProperty("curves").EnumerateArray().Sum(c => c.GetProperty("steps").GetArrayLength()));
        using var laws = JsonDocument.Parse(await http.GetStringAsync($"/api/sweeps/{id}/laws"));
        Assert.Contains("mpl", laws.RootElement.ToString());
    }

    [Fact]
    public async Task With_a_token_every_http_request_needs_it_and_a_public_bind_needs_one()
    {
        var (gatewayPort, httpPort) = (FreePort(), FreePort());
        var token = new Dictionary<string, string> { ["SWEEPS_TOKEN"] = "s3cret-token" };
        await StartSiloAsync(token, "--gateway-port", gatewayPort.ToString(), "--port", httpPort.ToString(), "--data-dir", Path.Combine(_scratch.Path, "silo"));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/sweeps")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/metrics")).StatusCode);
        // Probes carry no token: they answer without one (a lone silo on SQLite is ready once started).
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/sweeps")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret-token");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/sweeps")).StatusCode);

        // A client reaching the silo through its HTTP port sends its own SWEEPS_TOKEN.
        Assert.Equal(0, (await SweepsProcess.RunAsync(_scratch.Path, token, "status", "--cluster", $"127.0.0.1:{httpPort}")).ExitCode);
        var (refused, _, refusedErrors) = await SweepsProcess.RunAsync(_scratch.Path, "status", "--cluster", $"127.0.0.1:{httpPort}");
        Assert.Equal(1, refused);
        Assert.Contains("requires a bearer token", refusedErrors);

        await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "needs a bearer token", "silo", "--port", FreePort().ToString(), "--bind", "0.0.0.0");
    }

    [Fact]
    public async Task A_silo_refuses_submits_and_http_requests_past_its_limits_and_says_when_to_try_again()
    {
        var (gatewayPort, httpPort) = (FreePort(), FreePort());
        await StartSiloAsync("--gateway-port", gatewayPort.ToString(), "--port", httpPort.ToString(), "--data-dir", Path.Combine(_scratch.Path, "silo"),
            "--submit-limit", "2", "--request-limit", "5");
        string[] gateway = ["--gateway", $"127.0.0.1:{gatewayPort}"];

        // Three different sweeps in a row: the first two start, the third is refused and nothing of it starts.
        var exitCodes = new List<int>();
        var errors = "";
        for (var i = 0; i < 3; i++)
        {
            var spec = _scratch.Write($"limited-{i}.yaml", $$"""
                name: limited-{{i}}
                simulator: {name: quadratic}
                grid: {peak_lr: [0.1], model_size: [32], total_steps: [50]}
                laws: []
                """);
            var (exitCode, _, stderr) = await SweepsProcess.RunAsync(_scratch.Path, ["submit", spec, .. gateway]);
            exitCodes.Add(exitCode);
            errors = stderr;
        }

        Assert.Equal([0, 0, 1], exitCodes);
        Assert.Contains("refused: this silo accepts at most 2 submits a minute", errors);
        Assert.DoesNotContain("   at ", errors); // one line, no stack trace
        var (_, listed, _) = await SweepsProcess.RunAsync(_scratch.Path, ["status", "--json", .. gateway]);
        Assert.DoesNotContain("limited-2", listed);
        Assert.Contains("limited-1", listed);

        // HTTP: five requests a minute from this address, then 429 with Retry-After; probes always answer.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await http.GetAsync("/api/sweeps")).StatusCode);
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 5), HttpStatusCode.TooManyRequests], statuses);
        using var refused = await http.GetAsync("/api/cluster");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(refused.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
        Assert.Contains("more than 5 requests a minute", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);

        await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "--submit-limit and --request-limit", "silo", "--submit-limit", "-1");
    }

    [Fact]
    public async Task A_finished_sweep_is_listed_fitted_and_exported_as_csv_json_and_parquet_that_agree()
    {
        var gatewayPort = FreePort();
        await StartSiloAsync("--gateway-port", gatewayPort.ToString(), "--data-dir", Path.Combine(_scratch.Path, "silo"));
        string[] gateway = ["--gateway", $"127.0.0.1:{gatewayPort}"];
        var (_, submitted, _) = await SweepsProcess.RunAsync(RepositoryPaths.Root, ["submit", "examples/river-valley.yaml", .. gateway]);
        var id = submitted.Trim().Split('\n')[^1].Trim();
        var (watched, _, watchLog) = await SweepsProcess.RunAsync(_scratch.Path, ["watch", id, "--plots", "watch-plots", .. gateway]);
        Assert.True(watched == 0, watchLog);
        // Piped, watch ends with the best run of each model size and the fitted coefficients, then the plots.
        Assert.Contains("best run per model size", watchLog);
        Assert.Contains("optimal_lr", watchLog);
        Assert.Contains("loss-curves.png", Directory.GetFiles(Path.Combine(_scratch.Path, "watch-plots")).Select(Path.GetFileName));

        // status without an id lists the cluster's sweeps.
        var (_, list, _) = await SweepsProcess.RunAsync(_scratch.Path, ["status", .. gateway]);
        Assert.StartsWith(id, list.Trim());
        var (_, listJson, _) = await SweepsProcess.RunAsync(_scratch.Path, ["status", "--json", .. gateway]);
        using var listed = JsonDocument.Parse(listJson);
        var status = Assert.Single(listed.RootElement.EnumerateArray());
        Assert.Equal(id, status.GetProperty("id").GetString());
        var totalRuns = status.GetProperty("total_runs").GetInt32();
        Assert.Equal(0, status.GetProperty("duplicate_results").GetInt32());

        // fit: the sweep's own fit as stored, and a law it did not fit, fitted by the client from the runs.
        var (_, stored, _) = await SweepsProcess.RunAsync(_scratch.Path, ["fit", id, "--json", .. gateway]);
        using var storedFits = JsonDocument.Parse(stored);
        Assert.False(storedFits.RootElement.GetProperty("refitted").GetBoolean());
        Assert.Equal(JsonSerializer.Serialize(status.GetProperty("fits")), JsonSerializer.Serialize(storedFits.RootElement.GetProperty("fits")));
        var (_, refitted, _) = await SweepsProcess.RunAsync(_scratch.Path, ["fit", id, "--law", "optimal_lr", "--refit", "--json", .. gateway]);
        using var refits = JsonDocument.Parse(refitted);
        Assert.True(refits.RootElement.GetProperty("refitted").GetBoolean());
        // The same law on the same runs read back out of the cluster gives the sweep's own optima.
        Assert.Equal(OptimaOf(status.GetProperty("fits")), OptimaOf(refits.RootElement.GetProperty("fits")));
        var (badLaw, _, badLawErrors) = await SweepsProcess.RunAsync(_scratch.Path, ["fit", id, "--law", "kaplan", .. gateway]);
        Assert.Equal(2, badLaw);
        Assert.Contains("unknown law 'kaplan'", badLawErrors);

        // export: three formats of the same results.
        foreach (var format in new[] { "csv", "json", "parquet" })
        {
            var (exported, _, exportErrors) = await SweepsProcess.RunAsync(_scratch.Path, ["export", id, "--format", format, "--out", format, .. gateway]);
            Assert.True(exported == 0, exportErrors);
        }

        var csvRows = File.ReadAllLines(Path.Combine(_scratch.Path, "csv", "runs.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(totalRuns, csvRows.Count);
        var csvLoss = csvRows.ToDictionary(r => r[0], r => r[^1] == "" ? (double?)null : double.Parse(r[^1], System.Globalization.CultureInfo.InvariantCulture));
        var curveFiles = Directory.GetFiles(Path.Combine(_scratch.Path, "csv", "curves"), "*.csv");
        Assert.Equal(csvLoss.Count(l => l.Value is not null), curveFiles.Length);
        var curvePoints = curveFiles.Sum(f => File.ReadAllLines(f).Length - 1);

        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_scratch.Path, "json", "sweep.json"))))
        {
            var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToList();
            Assert.Equal(totalRuns, runs.Count);
            Assert.All(runs, r => Assert.Equal(csvLoss[r.GetProperty("run_id").GetString()!],
                r.GetProperty("final_loss").ValueKind == JsonValueKind.Null ? null : r.GetProperty("final_loss").GetDouble()));
            Assert.Equal(curvePoints, runs.Sum(r => r.GetProperty("curve") is { ValueKind: JsonValueKind.Object } c ? c.GetProperty("loss").GetArrayLength() : 0));
        }

        var parquetRuns = await Parquet.Serialization.ParquetSerializer.DeserializeUntypedAsync(File.OpenRead(Path.Combine(_scratch.Path, "parquet", "runs.parquet")));
        Assert.Equal(totalRuns, parquetRuns.Data.Count);
        Assert.All(parquetRuns.Data, row => Assert.Equal(csvLoss[(string)row["run_id"]!], (double?)row["final_loss"]));
        var parquetCurves = await Parquet.Serialization.ParquetSerializer.DeserializeUntypedAsync(File.OpenRead(Path.Combine(_scratch.Path, "parquet", "curves.parquet")));
        Assert.Equal(curvePoints, parquetCurves.Data.Count);
        Assert.True(File.Exists(Path.Combine(_scratch.Path, "parquet", "fit.json")));
    }

    private static List<(double, double)> OptimaOf(JsonElement fits) =>
        fits.EnumerateArray().Single(f => f.GetProperty("law").GetString() == "optimal_lr").GetProperty("optimal_lr").EnumerateArray()
            .Select(o => (o.GetProperty("model_size").GetDouble(), o.GetProperty("peak_lr").GetDouble())).ToList();

    [Fact]
    public async Task A_client_command_without_a_cluster_exits_2()
    {
        await CliAssert.ExitsWithBadInputAsync(_scratch.Path, "--cluster", "status", "x");
    }

    private Task<Process> StartSiloAsync(params string[] args) => StartSiloAsync(null, args);

    private Task<Process> StartSiloAsync(IReadOnlyDictionary<string, string>? environment, params string[] args) => _silos.StartAsync(_scratch.Path, environment, args);

    private static int FreePort() => LoopbackPorts.Next();

    private static async Task WaitForPortAsync(int port)
    {
        if (!await LoopbackListener.WaitAsync(port, TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"nothing listens on port {port}");
        }
    }
}
