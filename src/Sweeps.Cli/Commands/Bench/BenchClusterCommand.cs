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
/// overhead per run, split into the CPU the sweep used beyond the kernels' and the worker time left idle.
/// JSON: <c>{"runs", "steps_per_run", "cores", "baseline": {...}, "setups": [{"name", "silos", "workers",
/// "seconds", "runs_per_second", "ratio_to_baseline", "overhead_ms_per_run", "cpu_seconds",
/// "extra_cpu_ms_per_run", "idle_ms_per_run"}]}</c>.
/// </summary>
internal static class BenchClusterCommand
{
    private sealed record Setup(string Name, int Silos, int Workers, double Seconds, double RunsPerSecond, double RatioToBaseline, double OverheadMsPerRun,
        double CpuSeconds, double ExtraCpuMsPerRun, double IdleMsPerRun);

    private sealed record Baseline(int Workers, double Seconds, double KernelSecondsPerRun, double RunsPerSecond, double CpuSeconds);

    /// <summary>A timed sweep: wall-clock seconds from submit to completion, and the CPU seconds its silo process(es) used meanwhile.</summary>
    private readonly record struct Measured(double Seconds, double CpuSeconds);

    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Runs in the sweep", DefaultValueFactory = _ => 10_000 };
        var steps = new Option<int>("--steps") { Description = "Steps per run", DefaultValueFactory = _ => 2_000 };
        var modelSize = new Option<int>("--model-size") { Description = "Directions of each quadratic run (its cost per step)", DefaultValueFactory = _ => 64 };
        var redis = new Option<string?>("--redis") { Description = "HOST:PORT of a Redis: also run the sweep on silo processes there" };
        var silos = new Option<int[]>("--silos") { Description = "Silo process counts to try with --redis", DefaultValueFactory = _ => [1, 2, 3], AllowMultipleArgumentsPerToken = true };
        var workersPerSilo = new Option<int>("--workers-per-silo") { Description = "Kernels each silo process runs at once", DefaultValueFactory = _ => 1 };
        var curvePoints = new Option<int>("--curve-points") { Description = "Points kept of each run's loss curve (the spec's curve_points)", DefaultValueFactory = _ => SweepSpec.DefaultCurvePoints };
        var repeats = new Option<int>("--repeats") { Description = "Timed sweeps (and baselines) per setup; the median is reported", DefaultValueFactory = _ => 3 };
        var runsPerTask = new Option<int>("--runs-per-task") { Description = "The sweep's runs_per_task: runs executed, stored and reported together", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print one JSON document on stdout" };
        var command = new Command("cluster", "Orchestration overhead: a sweep of small runs against the same kernels run bare on all cores")
        {
            runs, steps, modelSize, redis, silos, workersPerSilo, runsPerTask, curvePoints, repeats, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (runCount, stepCount, size) = (parse.GetValue(runs), parse.GetValue(steps), parse.GetValue(modelSize));
            var taskSize = parse.GetValue(runsPerTask);
            var times = parse.GetValue(repeats);
            var points = parse.GetValue(curvePoints);
            if (points < 2 || times is < 1 or > 20 || runCount < 10 || stepCount < 10 || size < 1 || parse.GetValue(silos)!.Any(n => n < 1) || parse.GetValue(workersPerSilo) < 1 || taskSize is < 1 or > 4096)
            {
                Console.Error.WriteLine("--runs and --steps: at least 10; --model-size, --silos and --workers-per-silo: at least 1; --runs-per-task: 1–4096; --repeats: 1–20; --curve-points: at least 2");
                return ExitCodes.BadInput;
            }

            var cores = Environment.ProcessorCount;
            // 16 runs in flight per worker (with tasks, enough tasks for that, and at least 2 per worker).
            var perWorker = Math.Max(2, 16 / taskSize);
            var spec = Spec("bench-cluster", runCount, stepCount, size, concurrency: perWorker * cores) with { RunsPerTask = taskSize == 1 ? null : taskSize, CurvePoints = points };
            Progress($"baseline: {runCount} kernels of {stepCount} steps on {cores} cores");
            var baseline = Median(Enumerable.Range(0, times).Select(_ => RunBare(spec, cores)).ToList(), b => b.Seconds);
            var setups = new List<Setup>();

            Progress("embedded silo (SQLite)");
            var embedded = await RunEmbeddedAsync(spec, times, cancellationToken);
            setups.Add(Figures("embedded silo, SQLite", 1, cores, embedded, baseline, runCount));

            if (parse.GetValue(redis) is { } redisAddress)
            {
                var perSilo = parse.GetValue(workersPerSilo);
                foreach (var count in parse.GetValue(silos)!)
                {
                    Progress($"{count} silo process(es) on Redis {redisAddress}, {perSilo} worker(s) each");
                    var measured = await RunOnSilosAsync(spec with { Concurrency = perWorker * count * perSilo }, redisAddress, count, perSilo, times, cancellationToken);
                    // The baseline for n silos × w workers is the same kernels on min(n·w, cores) cores.
                    var workers = Math.Min(count * perSilo, cores);
                    setups.Add(Figures($"{count} silo process(es), Redis", count, count * perSilo, measured,
                        baseline with { Workers = workers, Seconds = baseline.KernelSecondsPerRun * runCount / workers }, runCount));
                }
            }

            var report = new { runs = runCount, stepsPerRun = stepCount, modelSize = size, runsPerTask = taskSize, curvePoints = points, cores, baseline, setups };
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

    /// <summary>
    /// The sweep in small, run first in the same silo(s) and not timed: the measured sweep then meets
    /// code already compiled at its final tier, as a long-running silo's sweeps do. (A warm-up of 256
    /// short one-run tasks left the tiered JIT recompiling Orleans' and the task path's hot methods
    /// through the timed sweep, ~0.3 of a core.)
    /// </summary>
    private static SweepSpec WarmUp(SweepSpec spec) =>
        Spec("bench-warm-up", (int)Math.Min(new SweepGrid(spec).Count, WarmUpRuns), spec.TotalSteps[0], (int)spec.ModelSize[0], spec.Concurrency) with { RunsPerTask = spec.RunsPerTask, CurvePoints = spec.CurvePoints };

    private const int WarmUpRuns = 2_500;

    private const int PollMilliseconds = 2;

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
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, grid.Count, new ParallelOptions { MaxDegreeOfParallelism = workers }, index =>
        {
            var start = Stopwatch.GetTimestamp();
            Run(index);
            Interlocked.Add(ref kernelTicks, Stopwatch.GetTimestamp() - start);
        });
        var seconds = clock.Elapsed.TotalSeconds;
        var kernelSecondsPerRun = (double)kernelTicks / Stopwatch.Frequency / grid.Count;
        return new Baseline(workers, seconds, kernelSecondsPerRun, grid.Count / seconds, (Environment.CpuUsage.TotalTime - cpu).TotalSeconds);
    }

    private static async Task<Measured> RunEmbeddedAsync(SweepSpec spec, int repeats, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("sweeps-bench-cluster-");
        try
        {
            await using var silo = await EmbeddedSilo.StartAsync(directory.FullName, LogLevel.Error, cancellationToken);
            static TimeSpan ThisProcess() => Environment.CpuUsage.TotalTime;
            await RunSweepAsync(silo.Grains, WarmUp(spec), ThisProcess, cancellationToken);
            return await MedianSweepAsync(() => RunSweepAsync(silo.Grains, spec, ThisProcess, cancellationToken), repeats);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<Measured> RunOnSilosAsync(SweepSpec spec, string redis, int count, int workersPerSilo, int repeats, CancellationToken cancellationToken)
    {
        var clusterId = $"bench-{Guid.NewGuid():N}";
        await using var silos = await SiloProcesses.StartAsync(count, ["--redis", redis, "--cluster-id", clusterId, "--workers", workersPerSilo.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        await using var client = await ClusterClient.ConnectAsync(new ClusterAddress(redis, null, clusterId), cancellationToken)
            ?? throw new InvalidOperationException($"cannot reach the silos on {redis}");
        await RunSweepAsync(client.Client, WarmUp(spec), () => silos.CpuTime, cancellationToken);
        return await MedianSweepAsync(() => RunSweepAsync(client.Client, spec, () => silos.CpuTime, cancellationToken), repeats);
    }

    /// <summary>The same sweep timed <paramref name="repeats"/> times, one after another (each a new sweep id); the median.</summary>
    private static async Task<Measured> MedianSweepAsync(Func<Task<Measured>> sweep, int repeats)
    {
        var measured = new List<Measured>();
        for (var i = 0; i < repeats; i++)
        {
            measured.Add(await sweep());
        }

        return Median(measured, m => m.Seconds);
    }

    private static T Median<T>(IReadOnlyList<T> measured, Func<T, double> seconds) => measured.OrderBy(seconds).ElementAt(measured.Count / 2);

    /// <summary>Submits the sweep and waits for it to complete; the seconds from submit to completion and the CPU used meanwhile.</summary>
    /// <remarks>
    /// Polled every <see cref="PollMilliseconds"/>: a sweep of tiny runs takes half a second, and a
    /// 20 ms poll added 10 ms to it on average (2% of the ratio); a status call is a small message.
    /// </remarks>
    private static async Task<Measured> RunSweepAsync(IGrainFactory grains, SweepSpec spec, Func<TimeSpan> cpuTime, CancellationToken cancellationToken)
    {
        var sweep = grains.GetGrain<ISweepGrain>($"{spec.Name}-{Guid.NewGuid():N}");
        var cpu = cpuTime();
        var clock = Stopwatch.StartNew();
        await sweep.Start(spec);
        while (!(await sweep.GetStatus()).IsCompleted)
        {
            await Task.Delay(PollMilliseconds, cancellationToken);
        }

        return new Measured(clock.Elapsed.TotalSeconds, (cpuTime() - cpu).TotalSeconds);
    }

    /// <remarks>
    /// The overhead a run, (seconds − baseline) × workers / runs, is the CPU the sweep spent beyond the
    /// kernels' (its CPU less the baseline's) plus the worker time it left idle (workers × seconds less its CPU).
    /// </remarks>
    private static Setup Figures(string name, int silos, int workers, Measured measured, Baseline baseline, int runs)
    {
        var extraCpu = measured.CpuSeconds - baseline.CpuSeconds;
        var idle = baseline.Workers * measured.Seconds - measured.CpuSeconds;
        return new(name, silos, workers, measured.Seconds, runs / measured.Seconds, measured.Seconds / baseline.Seconds,
            (measured.Seconds - baseline.Seconds) * 1e3 * baseline.Workers / runs, measured.CpuSeconds, extraCpu * 1e3 / runs, idle * 1e3 / runs);
    }

    private static void Progress(string message) => Console.Error.WriteLine($"[bench] {message}");

    private static string Render(Baseline baseline, IReadOnlyList<Setup> setups)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"baseline: bare kernels on {baseline.Workers} cores {baseline.Seconds:F2} s ({baseline.RunsPerSecond:F0} runs/s, {baseline.KernelSecondsPerRun * 1e3:F3} ms of kernel per run)"),
            "                                                                   overhead ms/run (per worker)",
            "setup                           workers   seconds   runs/s   × baseline      total  extra CPU   idle",
        };
        lines.AddRange(setups.Select(s => string.Create(CultureInfo.InvariantCulture,
            $"{s.Name,-31} {s.Workers,7} {s.Seconds,9:F2} {s.RunsPerSecond,8:F0} {s.RatioToBaseline,11:F3}   {s.OverheadMsPerRun,8:F3}  {s.ExtraCpuMsPerRun,9:F3} {s.IdleMsPerRun,6:F3}")));
        return string.Join(Environment.NewLine, lines);
    }
}
