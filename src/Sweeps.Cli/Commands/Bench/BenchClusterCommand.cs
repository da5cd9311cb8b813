using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Sweeps.Cli.Cluster;
using Sweeps.Cli.Embedded;
using Sweeps.Cli.Output;
using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Core.Schedules;
using Sweeps.Core.Specs;
using Sweeps.Kernels;
using Sweeps.Silo.Reports;

namespace Sweeps.Cli.Commands.Bench;

/// <summary>
/// <c>sweeps bench cluster</c>: what orchestration costs. A sweep of many small quadratic runs
/// (cosine schedules, so no run shares a prefix with another) is first run as bare kernels on
/// all cores in this process — the baseline, total kernel time / cores — then as a sweep on an
/// embedded silo (SQLite storage, as <c>sweeps run</c>), and with <c>--redis</c> on 1, 2, … silo
/// processes on that Redis. Reported: each setup's runs/s, its time over the baseline's, and the
/// overhead per run. JSON: <c>{"runs", "steps_per_run", "cores", "baseline": {...}, "setups": [{"name",
/// "silos", "workers", "seconds", "runs_per_second", "ratio_to_baseline", "overhead_ms_per_run"}]}</c>.
/// </summary>
internal static class BenchClusterCommand
{
    private sealed record Setup(string Name, int Silos, int Workers, double Seconds, double RunsPerSecond, double RatioToBaseline, double OverheadMsPerRun);

    private sealed record Baseline(int Workers, double Seconds, double KernelSecondsPerRun, double RunsPerSecond);

    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Runs in the sweep", DefaultValueFactory = _ => 10_000 };
        var steps = new Option<int>("--steps") { Description = "Steps per run", DefaultValueFactory = _ => 2_000 };
        var modelSize = new Option<int>("--model-size") { Description = "Directions of each quadratic run (its cost per step)", DefaultValueFactory = _ => 64 };
        var redis = new Option<string?>("--redis") { Description = "HOST:PORT of a Redis: also run the sweep on silo processes there" };
        var silos = new Option<int[]>("--silos") { Description = "Silo process counts to try with --redis", DefaultValueFactory = _ => [1, 2, 3], AllowMultipleArgumentsPerToken = true };
        var workersPerSilo = new Option<int>("--workers-per-silo") { Description = "Kernels each silo process runs at once", DefaultValueFactory = _ => 1 };
        var runsPerTask = new Option<int>("--runs-per-task") { Description = "The sweep's runs_per_task: runs executed, stored and reported together", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout" };
        var command = new Command("cluster", "Orchestration overhead: a sweep of small runs against the same kernels run bare on all cores")
        {
            runs, steps, modelSize, redis, silos, workersPerSilo, runsPerTask, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (runCount, stepCount, size) = (parse.GetValue(runs), parse.GetValue(steps), parse.GetValue(modelSize));
            var taskSize = parse.GetValue(runsPerTask);
            if (runCount < 10 || stepCount < 10 || size < 1 || parse.GetValue(silos)!.Any(n => n < 1) || parse.GetValue(workersPerSilo) < 1 || taskSize is < 1 or > 4096)
            {
                Console.Error.WriteLine("--runs and --steps: at least 10; --model-size, --silos and --workers-per-silo: at least 1; --runs-per-task: 1–4096");
                return ExitCodes.BadInput;
            }

            var cores = Environment.ProcessorCount;
            // 16 runs in flight per worker (with tasks, enough tasks for that, and at least 2 per worker).
            var perWorker = Math.Max(2, 16 / taskSize);
            var spec = Spec("bench-cluster", runCount, stepCount, size, concurrency: perWorker * cores) with { RunsPerTask = taskSize == 1 ? null : taskSize };
            Progress($"baseline: {runCount} kernels of {stepCount} steps on {cores} cores");
            var baseline = RunBare(spec, cores);
            var setups = new List<Setup>();

            Progress("embedded silo (SQLite)");
            var embedded = await RunEmbeddedAsync(spec, cancellationToken);
            setups.Add(Figures("embedded silo, SQLite", 1, cores, embedded, baseline, runCount));

            if (parse.GetValue(redis) is { } redisAddress)
            {
                var perSilo = parse.GetValue(workersPerSilo);
                foreach (var count in parse.GetValue(silos)!)
                {
                    Progress($"{count} silo process(es) on Redis {redisAddress}, {perSilo} worker(s) each");
                    var seconds = await RunOnSilosAsync(spec with { Concurrency = perWorker * count * perSilo }, redisAddress, count, perSilo, cancellationToken);
                    // The baseline for n silos × w workers is the same kernels on min(n·w, cores) cores.
                    var workers = Math.Min(count * perSilo, cores);
                    setups.Add(Figures($"{count} silo process(es), Redis", count, count * perSilo, seconds,
                        baseline with { Workers = workers, Seconds = baseline.KernelSecondsPerRun * runCount / workers }, runCount));
                }
            }

            var report = new { runs = runCount, stepsPerRun = stepCount, modelSize = size, runsPerTask = taskSize, cores, baseline, setups };
            Console.WriteLine(parse.GetValue(json) ? ConsoleJson.Serialize(report) : Render(baseline, setups));
            return ExitCodes.Success;
        });
        return command;
    }

    private static SweepSpec Spec(string name, int runs, int steps, int modelSize, int concurrency) =>
        new SweepSpecParser(KernelCatalog.Default).Parse(string.Create(CultureInfo.InvariantCulture, $"""
            name: {name}
            simulator: quadratic
            grid:
              peak_lr: {"{"}log_space: [0.001, 0.5], points: {runs}{"}"}
              model_size: {modelSize}
              total_steps: {steps}
              schedule: cosine
            concurrency: {concurrency}
            laws: []
            """)).Spec ?? throw new InvalidOperationException("the benchmark's spec is invalid");

    /// <summary>Every run's kernel on <paramref name="workers"/> threads, nothing else: the floor a sweep can approach.</summary>
    private static Baseline RunBare(SweepSpec spec, int workers)
    {
        var grid = new SweepGrid(spec);
        var kernel = KernelCatalog.Default.Get(spec.Simulator);
        KernelResult Run(long index)
        {
            var run = grid.RunAt(index);
            return kernel.Run(new KernelRun(Schedule.Evaluate(run.Schedule), run.ModelSize, run.Seed, run.Options, spec.CurvePoints));
        }

        Parallel.For(0, Math.Min(grid.Count, 64), new ParallelOptions { MaxDegreeOfParallelism = workers }, i => Run(i)); // warm-up
        var kernelTicks = 0L;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, grid.Count, new ParallelOptions { MaxDegreeOfParallelism = workers }, index =>
        {
            var start = Stopwatch.GetTimestamp();
            Run(index);
            Interlocked.Add(ref kernelTicks, Stopwatch.GetTimestamp() - start);
        });
        var seconds = clock.Elapsed.TotalSeconds;
        var kernelSecondsPerRun = (double)kernelTicks / Stopwatch.Frequency / grid.Count;
        return new Baseline(workers, seconds, kernelSecondsPerRun, grid.Count / seconds);
    }

    private static async Task<double> RunEmbeddedAsync(SweepSpec spec, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("sweeps-bench-cluster-");
        try
        {
            await using var silo = await EmbeddedSilo.StartAsync(directory.FullName, LogLevel.Error, cancellationToken);
            await RunSweepAsync(silo.Grains, Spec("bench-warm-up", 256, 100, 8, spec.Concurrency), cancellationToken);
            return await RunSweepAsync(silo.Grains, spec, cancellationToken);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<double> RunOnSilosAsync(SweepSpec spec, string redis, int count, int workersPerSilo, CancellationToken cancellationToken)
    {
        var clusterId = $"bench-{Guid.NewGuid():N}";
        await using var silos = await SiloProcesses.StartAsync(count, ["--redis", redis, "--cluster-id", clusterId, "--workers", workersPerSilo.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        await using var client = await ClusterClient.ConnectAsync(new ClusterAddress(redis, null, clusterId), cancellationToken)
            ?? throw new InvalidOperationException($"cannot reach the silos on {redis}");
        await RunSweepAsync(client.Client, Spec("bench-warm-up", 256, 100, 8, spec.Concurrency), cancellationToken);
        return await RunSweepAsync(client.Client, spec, cancellationToken);
    }

    /// <summary>Submits the sweep and waits for it to complete; the seconds from submit to completion.</summary>
    private static async Task<double> RunSweepAsync(IGrainFactory grains, SweepSpec spec, CancellationToken cancellationToken)
    {
        var sweep = grains.GetGrain<ISweepGrain>($"{spec.Name}-{Guid.NewGuid():N}");
        var clock = Stopwatch.StartNew();
        await sweep.Start(spec);
        while (!(await sweep.GetStatus()).IsDone)
        {
            await Task.Delay(20, cancellationToken);
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static Setup Figures(string name, int silos, int workers, double seconds, Baseline baseline, int runs) =>
        new(name, silos, workers, seconds, runs / seconds, seconds / baseline.Seconds, (seconds - baseline.Seconds) * 1e3 * baseline.Workers / runs);

    private static void Progress(string message) => Console.Error.WriteLine($"[bench] {message}");

    private static string Render(Baseline baseline, IReadOnlyList<Setup> setups)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"baseline: bare kernels on {baseline.Workers} cores {baseline.Seconds:F2} s ({baseline.RunsPerSecond:F0} runs/s, {baseline.KernelSecondsPerRun * 1e3:F3} ms of kernel per run)"),
            "setup                           workers   seconds   runs/s   × baseline   overhead ms/run (per worker)",
        };
        lines.AddRange(setups.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Name,-31} {s.Workers,7} {s.Seconds,9:F2} {s.RunsPerSecond,8:F0} {s.RatioToBaseline,11:F3}   {s.OverheadMsPerRun,8:F3}")));
        return string.Join(Environment.NewLine, lines);
    }
}
