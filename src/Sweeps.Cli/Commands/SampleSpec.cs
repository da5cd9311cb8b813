namespace Sweeps.Cli.Commands;

/// <summary>The spec <c>sweeps init</c> writes: every section, commented.</summary>
internal static class SampleSpec
{
    public const string Text = """
        # A Sweeps spec: a grid of training runs, and the laws to fit to their results.
        # Check it with `sweeps validate sweep.yaml`, run it with `sweeps run sweep.yaml`.
        name: my-sweep

        # The model of training each run simulates, and its options (defaults shown).
        simulator:
          name: quadratic            # SGD on a noisy quadratic with a power-law spectrum
          options:
            spectrum_exponent: 1.0   # eigenvalues λ_i = max_curvature · i^-a
            max_curvature: 1.0       # SGD diverges for peak LR > 2 / max_curvature
            target_exponent: 1.5     # direction i starts with loss ½ i^-b
            noise: 1.0               # gradient-noise variance per unit curvature
            batch_size: 1
            irreducible_loss: 1.0

        # Every combination of these axes is one run. An axis is a value, a list,
        # {log_space: [lo, hi], points: n} or {lin_space: [lo, hi], points: n}.
        # Simulator options may be axes too (e.g. batch_size: [1, 4]).
        grid:
          peak_lr: {log_space: [0.02, 1.5], points: 7}
          warmup_steps: [0, 50]
          model_size: [32, 128, 512]     # quadratic: number of learnable directions
          total_steps: [250, 1000]
          schedule: [cosine, wsd]        # names below, or built-ins: constant, cosine, linear, wsd, polynomial

        # Schedule templates: the grid fills in peak_lr, warmup_steps and total_steps.
        # Kinds: constant, cosine, linear, wsd, step, polynomial, wsd-s, table.
        schedules:
          cosine: {kind: cosine, final_lr_ratio: 0.1}
          wsd: {kind: wsd, decay_fraction: 0.2, decay_shape: linear, final_lr_ratio: 0.0}

        seeds: [0]                 # or a count: seeds: 3
        laws: [chinchilla, optimal_lr]
        concurrency: 8             # runs in flight at once
        # max_runs: 1000000        # refuse larger grids
        # curve_points: 200        # at least this many points of each loss curve (a power-of-two stride, up to twice as many)

        """;
}
