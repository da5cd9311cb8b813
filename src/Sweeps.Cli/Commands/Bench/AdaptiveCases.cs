using Sweeps.Core.Grid;
using Sweeps.Core.Schedules;
using Sweeps.Core.Specs;
using Sweeps.Kernels;
using Sweeps.Laws;

namespace Sweeps.Cli.Commands.Bench;

/// <summary>
/// The sweeps <c>sweeps bench adaptive</c> runs: every run of each simulated to the end in this
/// process (kernels are deterministic), for <see cref="Sweeps.Laws.Adaptive.AdaptiveReplay"/> to replay
/// under each stopping rule.
/// </summary>
internal static class AdaptiveCases
{
    /// <summary>
    /// The LLM-pretraining twin at three model sizes, two horizons, seven peak LRs across its optimum,
    /// and the schedules whose partial losses mislead a pruner: cosine is ahead until WSD decays, and
    /// constant never decays.
    /// </summary>
    public const string MplSurrogate = """
        name: adaptive-mpl-surrogate
        simulator:
          name: mpl-surrogate
          options:
            eval_noise: 0.0007
        grid:
          peak_lr: {log_space: [1.5e-4, 4.8e-3], points: 7}
          warmup_steps: 300
          model_size: [2.5e7, 1.0e8, 4.0e8]
          total_steps: [4000, 8000]
          schedule: [cosine, wsd, constant]
        schedules:
          cosine: {kind: cosine, final_lr_ratio: 0.1}
          wsd: {kind: wsd, decay_fraction: 0.2, decay_shape: linear, final_lr_ratio: 0.0}
        curve_points: 100
        laws: [optimal_lr]
        """;

    /// <summary>Real training: examples/bigram-lm.yaml's grid with a constant schedule beside cosine and WSD.</summary>
    public const string BigramLm = """
        name: adaptive-bigram-lm
        simulator:
          name: bigram-lm
          options:
            names: 10
            stochastic_fraction: 0.5
            batch_size: 32
            adam: 1
        grid:
          peak_lr: {log_space: [0.005, 0.16], points: 6}
          warmup_steps: 100
          model_size: [64, 256]
          total_steps: 3000
          schedule: [cosine, wsd, constant]
        schedules:
          cosine: {kind: cosine, final_lr_ratio: 0.01}
          wsd: {kind: wsd, decay_fraction: 0.2, decay_shape: linear, final_lr_ratio: 0.01}
        seeds: 3
        curve_points: 100
        laws: [optimal_lr]
        """;

    public static SweepSpec Parse(string yaml)
    {
        var parse = new SweepSpecParser(KernelCatalog.Default).Parse(yaml);
        return parse.Spec ?? throw new InvalidOperationException("a benchmark spec is invalid: " + string.Join("; ", parse.Errors.Select(e => e.Format("spec"))));
    }

    /// <summary>
    /// Every run of the spec's grid with its whole curve (simulated on every core), in the order a sweep
    /// that stops runs early starts them (<see cref="DispatchOrder"/>), which every rule is replayed in.
    /// </summary>
    public static IReadOnlyList<RunCurve> Simulate(SweepSpec spec)
    {
        var grid = new SweepGrid(spec);
        var kernel = KernelCatalog.Default.Get(spec.Simulator);
        return new DispatchOrder(grid).Indices().AsParallel().AsOrdered().Select(i =>
        {
            var run = grid.RunAt(i);
            var result = kernel.Run(new KernelRun(Schedule.Evaluate(run.Schedule), run.ModelSize, run.Seed, run.Options, spec.CurvePoints));
            return new RunCurve(run, result.Curve);
        }).ToList();
    }
}
