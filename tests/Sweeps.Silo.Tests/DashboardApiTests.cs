using System.Net;
using System.Text.Json;
using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Core.Specs;
using Sweeps.Kernels;
using Sweeps.Silo.Dashboard;
using Sweeps.Tests;

namespace Sweeps.Silo.Tests;

[Trait(TestCategories.Trait, TestCategories.EndToEnd)]
[Collection(SiloCollection.Name)]
public sealed class DashboardApiTests(SiloFixture silo)
{
    /// <summary>The <c>runs</c> of <c>/running</c> once its first run has at least <paramref name="points"/> points (a minute at most).</summary>
    private async Task<JsonElement> RunningWithPointsAsync(string sweepId, int points)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        JsonElement running;
        do
        {
            await Task.Delay(50, timeout.Token);
            running = (await GetJsonAsync($"/api/sweeps/{sweepId}/running")).GetProperty("runs");
        }
        while (running.GetArrayLength() == 0 || running[0].GetProperty("steps").GetArrayLength() < points);

        return running;
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await silo.Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: HTTP {(int)response.StatusCode}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task The_event_stream_brings_each_run_as_it_finishes_then_the_final_status_and_ends()
    {
        var sweep = await silo.StartSweepAsync("events-1", TestSweeps.Watchable);
        var seen = new HashSet<long>();
        var runEvents = 0;
        var finishedSeen = new List<long>();
        var events = new List<string>();
        await foreach (var (type, data) in ServerSentEvents.ReadAsync(silo.Http, "/api/sweeps/events-1/events"))
        {
            events.Add(type);
            switch (type)
            {
                case "runs":
                    if (data.GetProperty("reset").GetBoolean())
                    {
                        seen.Clear();
                    }

                    foreach (var row in data.GetProperty("runs").EnumerateArray())
                    {
                        Assert.True(seen.Add(row.GetProperty("index").GetInt64()), $"run {row.GetProperty("index")} sent twice");
                    }

                    runEvents += data.GetProperty("runs").GetArrayLength() > 0 ? 1 : 0;
                    break;
                case "status":
                    // Every run the status counts as finished has been sent before it.
                    var counts = data.GetProperty("counts");
                    var finished = counts.GetProperty("succeeded").GetInt64() + counts.GetProperty("diverged").GetInt64() + counts.GetProperty("failed").GetInt64();
                    Assert.True(seen.Count >= finished, $"status counts {finished} finished runs, {seen.Count} were sent");
                    finishedSeen.Add(finished);
                    break;
            }
        }

        var status = await sweep.GetStatus();
        Assert.True(status.IsCompleted);
        Assert.Equal(["status", "end"], events[^2..]);
        Assert.Equal(Enumerable.Range(0, (int)status.TotalRuns).Select(i => (long)i), seen.Order());
        Assert.True(runEvents >= 3, $"the runs came in {runEvents} pieces: the stream did not follow the sweep live");
        Assert.True(finishedSeen.Distinct().Count() >= 3, "the status did not advance while the stream was open");
    }

    [Fact]
    public async Task Running_runs_come_with_their_grid_point_and_their_curve_so_far_in_the_api_and_the_event_stream()
    {
        var sweep = await silo.StartSweepAsync("running-1", TestSweeps.Slow);
        var grid = new SweepGrid((await sweep.GetSpec())!);
        try
        {
            var running = await RunningWithPointsAsync("running-1", points: 3);

            var live = running[0];
            var index = live.GetProperty("run").GetProperty("index").GetInt64();
            var run = grid.RunAt(index);
            Assert.Equal("running", live.GetProperty("run").GetProperty("status").GetString());
            Assert.Equal(run.PeakLr, live.GetProperty("run").GetProperty("peak_lr").GetDouble());
            Assert.Equal(JsonValueKind.Null, live.GetProperty("run").GetProperty("final_loss").ValueKind);
            var steps = live.GetProperty("steps").EnumerateArray().Select(e => e.GetInt32()).ToList();
            var losses = live.GetProperty("loss").EnumerateArray().Select(e => e.GetDouble()).ToList();
            Assert.Equal(live.GetProperty("step").GetInt32(), steps[^1]);
            var lossAt = Sweeps.Tests.KernelPoints.Until(run, curvePoints: 400, steps[^1]); // Slow's curve_points
            Assert.Equal(steps.Select(step => lossAt[step]), losses);

            // The event stream carries the same document after each status.
            var types = new List<string>();
            await foreach (var (type, data) in ServerSentEvents.ReadAsync(silo.Http, "/api/sweeps/running-1/events"))
            {
                types.Add(type);
                if (type == "live" && data.GetProperty("runs").GetArrayLength() > 0)
                {
                    Assert.Equal("running", data.GetProperty("runs")[0].GetProperty("run").GetProperty("status").GetString());
                    break;
                }

                Assert.True(type != "end" && types.Count < 50, $"no live event with a run among {string.Join(", ", types)}");
            }

            Assert.Equal("status", types[^2]); // live follows each status
        }
        finally
        {
            await sweep.Cancel();
        }
    }

    [Fact]
    public async Task A_running_command_run_streams_its_points_and_log_as_it_prints_them()
    {
        // A real child process: three points and a log line, then it waits for the test before its last point.
        var release = Path.Combine(Path.GetTempPath(), $"sweeps-release-{Guid.NewGuid():N}");
        var script = $"echo '{{\"step\": 1, \"loss\": 3.0}}'; echo 'loading shard 1' >&2; echo '{{\"step\": 2, \"loss\": 2.0}}'; "
            + $"echo '{{\"step\": 3, \"loss\": 1.5}}'; while [ ! -e {release} ]; do sleep 0.05; done; echo '{{\"step\": 4, \"loss\": 1.0}}'";
        var sweep = await silo.StartSweepAsync("live-command-1", $$"""
            name: live-command
            simulator:
              name: command
              command: ["/bin/sh", "-c", {{System.Text.Json.JsonSerializer.Serialize(script)}}]
            grid:
              peak_lr: 0.1
              model_size: 1
              total_steps: 4
            laws: []
            """);
        try
        {
            var running = await RunningWithPointsAsync("live-command-1", points: 3);

            var live = Assert.Single(running.EnumerateArray());
            Assert.Equal([1, 2, 3], live.GetProperty("steps").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal([3.0, 2.0, 1.5], live.GetProperty("loss").EnumerateArray().Select(e => e.GetDouble()));
            Assert.Equal(["loading shard 1"], live.GetProperty("log_tail").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("running", live.GetProperty("run").GetProperty("status").GetString());

            await File.WriteAllTextAsync(release, "");
            var status = await SiloFixture.WaitUntilEndedAsync(sweep);
            Assert.Equal(1, status.Counts[RunStatus.Succeeded]);
            var curve = (await GetJsonAsync("/api/sweeps/live-command-1/curves?runs=0")).GetProperty("curves")[0];
            Assert.Equal([1, 2, 3, 4], curve.GetProperty("steps").EnumerateArray().Select(e => e.GetInt32())); // the live points were the curve's
            Assert.Empty((await GetJsonAsync("/api/sweeps/live-command-1/running")).GetProperty("runs").EnumerateArray());
        }
        finally
        {
            File.Delete(release);
            await sweep.Cancel();
        }
    }

    [Fact]
    public async Task A_failed_command_run_is_served_with_its_error_and_last_output()
    {
        var sweep = await silo.StartSweepAsync("failing-1", """
            name: failing
            simulator:
              name: command
              command: ["/bin/sh", "-c", "echo '{\"step\": 1, \"loss\": 2.0}'; echo 'out of memory at step {total_steps}' >&2; exit 4"]
            grid:
              peak_lr: [0.1, 0.2]
              model_size: 1
              total_steps: 7
            laws: []
            """);
        var status = await SiloFixture.WaitUntilEndedAsync(sweep);
        Assert.Equal(2, status.Counts[RunStatus.Failed]);

        var run = await GetJsonAsync("/api/sweeps/failing-1/runs/1");

        Assert.Equal("failed", run.GetProperty("run").GetProperty("status").GetString());
        Assert.Equal(0.2, run.GetProperty("run").GetProperty("peak_lr").GetDouble());
        Assert.Contains("exited with code 4", run.GetProperty("error").GetString());
        Assert.Equal(["out of memory at step 7"], run.GetProperty("log_tail").EnumerateArray().Select(e => e.GetString()));
        using var missing = await silo.Http.GetAsync("/api/sweeps/failing-1/runs/2");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_stopped_run_is_served_with_its_decision_and_counted_in_the_status_and_the_metrics()
    {
        var sweep = await silo.StartSweepAsync("stopping-api-1", TestSweeps.Stopping);
        var status = await SiloFixture.WaitUntilEndedAsync(sweep);
        var stopped = (await sweep.GetAllRunsAsync()).Where(r => r.Status == RunStatus.Stopped).ToList();
        Assert.NotEmpty(stopped);

        var report = await GetJsonAsync("/api/sweeps/stopping-api-1");
        var run = await GetJsonAsync($"/api/sweeps/stopping-api-1/runs/{stopped[0].Index}");
        var metrics = await silo.Http.GetStringAsync("/metrics");

        Assert.Equal(stopped.Count, report.GetProperty("counts").GetProperty("stopped").GetInt64());
        Assert.Equal(status.Counts[RunStatus.Stopped], stopped.Count);
        Assert.Equal("stopped", run.GetProperty("run").GetProperty("status").GetString());
        var stop = run.GetProperty("stop");
        Assert.Equal("asha", stop.GetProperty("rule").GetString());
        Assert.Equal(stopped[0].TotalSteps, stop.GetProperty("step").GetInt64()); // the ledger counts the steps it ran
        Assert.Contains("not among the best 1/3", stop.GetProperty("reason").GetString());
        Assert.Matches("sweeps_runs_finished_total\\{[^}]*status=\"stopped\"[^}]*\\} [1-9]", metrics);
    }

    [Fact]
    public async Task Runs_a_refining_sweep_added_are_listed_as_added_and_counted_in_its_status()
    {
        var sweep = await silo.StartSweepAsync("refine-api-1", """
            name: refine-api
            simulator: quadratic
            grid:
              peak_lr: [0.01, 0.02]
              model_size: [32]
              total_steps: [300]
            laws: [optimal_lr]
            adaptive: {refine: {axis: peak_lr, until: 0.2, max_added_runs: 20}}
            """);
        var status = await SiloFixture.WaitUntilEndedAsync(sweep);
        Assert.InRange(status.AddedRuns, 1, 20);

        var report = await GetJsonAsync("/api/sweeps/refine-api-1");
        var runs = (await GetJsonAsync("/api/sweeps/refine-api-1/runs")).GetProperty("runs").EnumerateArray().ToList();

        Assert.Equal(status.AddedRuns, report.GetProperty("added_runs").GetInt64());
        Assert.Equal(2 + status.AddedRuns, runs.Count);
        // The grid's two runs come first; every later one was added, at a peak LR the grid did not have.
        Assert.Equal(runs.Select(r => r.GetProperty("index").GetInt64() >= 2), runs.Select(r => r.GetProperty("added").GetBoolean()));
        Assert.All(runs.Skip(2), r => Assert.DoesNotContain(r.GetProperty("peak_lr").GetDouble(), new[] { 0.01, 0.02 }));
    }

    [Fact]
    public async Task Curves_schedules_and_law_charts_agree_with_the_kernel_and_the_closed_forms()
    {
        var sweep = await silo.StartSweepAsync("charts-1", TestSweeps.Small);
        var status = await SiloFixture.WaitUntilEndedAsync(sweep);
        Assert.True(status.IsCompleted);
        var spec = (await sweep.GetSpec())!;
        var grid = new SweepGrid(spec);
        var runs = (await GetJsonAsync("/api/sweeps/charts-1/runs?count=4096")).GetProperty("runs").EnumerateArray().ToList();
        Assert.Contains(runs, r => r.GetProperty("status").GetString() == "diverged" && r.GetProperty("final_loss").ValueKind == JsonValueKind.Null);

        // Curves: the kernel's own curve for the grid point (the scalar reference), point for point.
        var curves = (await GetJsonAsync("/api/sweeps/charts-1/curves?runs=0,9,30")).GetProperty("curves").EnumerateArray().ToList();
        Assert.Equal([0L, 9, 30], curves.Select(c => c.GetProperty("index").GetInt64()).Order());
        foreach (var curve in curves)
        {
            var run = grid.RunAt(curve.GetProperty("index").GetInt64());
            var expected = new Quadratic().RunScalar(new KernelRun(Core.Schedules.Schedule.Evaluate(run.Schedule), run.ModelSize, run.Seed, run.Options, spec.CurvePoints)).Curve;
            Assert.Equal(expected.Steps, curve.GetProperty("steps").EnumerateArray().Select(s => s.GetInt32()));
            var loss = curve.GetProperty("loss").EnumerateArray().Select(l => l.ValueKind == JsonValueKind.Null ? double.NaN : l.GetDouble()).ToArray();
            for (var i = 0; i < loss.Length; i++)
            {
                Assert.Equal(expected.Loss[i], loss[i], 1e-12);
            }
        }

        // The schedule: the run's LR at the sampled steps, from step 0 to its last.
        var schedule = await GetJsonAsync("/api/sweeps/charts-1/runs/9/schedule");
        var lr = Core.Schedules.Schedule.Evaluate(grid.RunAt(9).Schedule);
        var steps = schedule.GetProperty("steps").EnumerateArray().Select(s => s.GetInt32()).ToArray();
        Assert.Equal((0, lr.Length - 1), (steps[0], steps[^1]));
        Assert.InRange(steps.Length, 2, 500);
        Assert.Equal(steps.Select(s => lr[s]), schedule.GetProperty("lr").EnumerateArray().Select(v => v.GetDouble()));

        // Chinchilla: each scale's best final loss beside E + A/N^α + B/T^β with the fitted coefficients.
        var laws = await GetJsonAsync("/api/sweeps/charts-1/laws");
        var fit = status.Fits.Single(f => f.Law == KnownLaws.Chinchilla).Parameters;
        var chinchilla = laws.GetProperty("chinchilla").EnumerateArray().ToList();
        Assert.Equal(6, chinchilla.Count);
        foreach (var point in chinchilla)
        {
            var (n, t) = (point.GetProperty("model_size").GetDouble(), point.GetProperty("total_steps").GetInt32());
            var best = runs.Where(r => r.GetProperty("model_size").GetDouble() == n && r.GetProperty("total_steps").GetInt32() == t && r.GetProperty("status").GetString() == "succeeded")
                .Min(r => r.GetProperty("final_loss").GetDouble());
            Assert.Equal(best, point.GetProperty("observed").GetDouble(), 1e-12);
            Assert.Equal(fit["E"] + fit["A"] / Math.Pow(n, fit["alpha"]) + fit["B"] / Math.Pow(t, fit["beta"]), point.GetProperty("predicted").GetDouble(), 1e-12);
        }

        Assert.Equal(6, laws.GetProperty("optimal_lr").GetArrayLength());

        // A curve law: the power law in the LR sum, L0 + A·S^(−α), S = Σ of the LR over the first t updates.
        var curveFit = laws.GetProperty("curve_fits").EnumerateArray().First(f => f.GetProperty("law").GetString() == "power");
        var index = curveFit.GetProperty("fit").GetInt32();
        var chart = await GetJsonAsync($"/api/sweeps/charts-1/laws/curves/{index}");
        var p = status.Fits[index].Parameters;
        var chartRuns = chart.GetProperty("runs").EnumerateArray().ToList();
        Assert.NotEmpty(chartRuns);
        foreach (var chartRun in chartRuns)
        {
            var run = grid.RunAt(long.Parse(chartRun.GetProperty("run_id").GetString()![1..]));
            Assert.Equal(status.Fits[index].Scope["model_size"], run.ModelSize);
            var runLr = Core.Schedules.Schedule.Evaluate(run.Schedule);
            var predicted = chartRun.GetProperty("predicted").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var at = chartRun.GetProperty("steps").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            for (var i = 0; i < at.Length; i++)
            {
                var area = runLr.Take(at[i]).Sum();
                Assert.Equal(p["L0"] + p["A"] * Math.Pow(area, -p["alpha"]), predicted[i], 1e-9);
            }
        }
    }

    [Fact]
    public async Task A_prediction_at_a_new_scale_is_served_with_its_schedule_and_bad_targets_are_400s()
    {
        var sweep = await silo.StartSweepAsync("predict-1", TestSweeps.Small);
        var status = await SiloFixture.WaitUntilEndedAsync(sweep);

        var body = await GetJsonAsync("/api/sweeps/predict-1/predict?model_size=2048&total_steps=3200");

        var prediction = body.GetProperty("prediction");
        Assert.Equal(8, prediction.GetProperty("extrapolation").GetProperty("model_size").GetDouble(), 1e-12);
        Assert.Equal(4, prediction.GetProperty("extrapolation").GetProperty("total_steps").GetDouble(), 1e-12);
        // The sweep-minima answer is the sweep's own fitted η* = c·N^a·T^b at the target.
        var fit = status.Fits.Single(f => f.Law == KnownLaws.OptimalLr).Parameters;
        var minima = prediction.GetProperty("peak_lr_answers").EnumerateArray().Single(a => a.GetProperty("method").GetString() == "sweep_minima");
        Assert.Equal(fit["c"] * Math.Pow(2048, fit["a"]) * Math.Pow(3200, fit["b"]), minima.GetProperty("peak_lr").GetDouble(), 1e-9);
        Assert.NotEqual("unknown", prediction.GetProperty("divergence_risk").GetProperty("level").GetString()); // Small has diverged runs
        var schedule = body.GetProperty("optimal_schedule");
        var lr = schedule.GetProperty("lr").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        if (lr.Length > 0)
        {
            Assert.InRange(lr.Length, 2, DashboardApi.SchedulePoints);
            Assert.Equal(prediction.GetProperty("optimal_peak_lr").GetDouble(), lr.Max(), 1e-12);
        }

        // The same question while no run finished since is answered from memory, identically.
        Assert.Equal(body.ToString(), (await GetJsonAsync("/api/sweeps/predict-1/predict?model_size=2048&total_steps=3200")).ToString());

        using var bad = await silo.Http.GetAsync("/api/sweeps/predict-1/predict?model_size=-1&total_steps=x&warmup_steps=5");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var error = (await bad.Content.ReadAsStringAsync());
        Assert.Contains("model_size: must be a positive number", error);
        Assert.Contains("total_steps: must be an integer", error);
        using var unknown = await silo.Http.GetAsync("/api/sweeps/nope/predict?model_size=1e9&total_steps=1000");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Bad_query_values_are_400s_that_name_them_and_unknown_api_paths_are_json_404s()
    {
        await SiloFixture.WaitUntilEndedAsync(await silo.StartSweepAsync("charts-400", TestSweeps.Small));
        foreach (var (path, named) in new[]
        {
            ("/api/sweeps/charts-400/curves?runs=0,999999,x", "'999999'"),
            ("/api/sweeps/charts-400/runs?from=-1", "from must be"),
            ("/api/sweeps/charts-400/runs?count=0", "count must be"),
            ("/api/sweeps/charts-400/runs?count=abc", "'abc'"),
            ("/api/sweeps/charts-400/runs?count=5000", "count must be"),
        })
        {
            using var response = await silo.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(named, await response.Content.ReadAsStringAsync());
        }

        foreach (var path in new[] { "/api/sweeps/charts-400/runs/abc", "/api/sweeps/charts-400/laws/curves/x", "/api/nothing-here" })
        {
            using var response = await silo.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("no endpoint GET /api/", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Every_answer_carries_the_security_headers_and_sweeps_own_pages_a_content_security_policy()
    {
        foreach (var path in new[] { "/", "/sweeps/anything", "/api/sweeps", "/api/nothing-here", "/orleans/" })
        {
            using var response = await silo.Http.GetAsync(path);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            var policy = response.Headers.TryGetValues("Content-Security-Policy", out var values) ? values.Single() : null;
            if (path.StartsWith("/orleans", StringComparison.Ordinal))
            {
                Assert.Null(policy); // the Orleans dashboard's own inline scripts
            }
            else
            {
                Assert.Contains("script-src 'self'", policy);
                Assert.Contains("frame-ancestors 'none'", policy);
            }
        }
    }

    [Fact]
    public async Task Unknown_sweeps_runs_and_fits_are_404s_that_say_what_was_not_found()
    {
        foreach (var path in new[] { "/api/sweeps/nope", "/api/sweeps/nope/runs", "/api/sweeps/nope/curves?runs=1", "/api/sweeps/nope/laws", "/api/sweeps/nope/runs/0/schedule" })
        {
            using var response = await silo.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("nope", await response.Content.ReadAsStringAsync());
        }

        await SiloFixture.WaitUntilEndedAsync(await silo.StartSweepAsync("charts-404", TestSweeps.Small));
        using var outside = await silo.Http.GetAsync("/api/sweeps/charts-404/runs/84/schedule");
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        using var noFit = await silo.Http.GetAsync("/api/sweeps/charts-404/laws/curves/99");
        Assert.Equal(HttpStatusCode.NotFound, noFit.StatusCode);
        var events = new List<string>();
        await foreach (var (type, _) in ServerSentEvents.ReadAsync(silo.Http, "/api/sweeps/nope/events"))
        {
            events.Add(type);
        }

        Assert.Equal(["error"], events);
    }

    [Fact]
    public async Task The_pages_the_orleans_dashboard_and_the_silos_health_are_served()
    {
        foreach (var path in new[] { "/", "/sweeps/anything", "/orleans/" })
        {
            using var page = await silo.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        }

        using var echarts = await silo.Http.GetAsync("/assets/echarts.min.js");
        Assert.Equal(HttpStatusCode.OK, echarts.StatusCode);
        Assert.Contains("echarts", await echarts.Content.ReadAsStringAsync());
        var silos = (await GetJsonAsync("/api/silos")).EnumerateArray().ToList();
        Assert.Equal("active", Assert.Single(silos).GetProperty("status").GetString());
    }
}
