using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Sweeps.Contracts;
using Sweeps.Core.Curves;
using Sweeps.Core.Schedules;
using Sweeps.Core.Specs;
using Sweeps.Grains.Hosting;
using Sweeps.Grains.Storage;
using Sweeps.Kernels;
using Sweeps.Laws;

namespace Sweeps.Grains.Tests;

/// <summary>Grain state written through pooled buffers, and the immutable library types passed between grains without a copy.</summary>
public class StateSerializationTests
{
    private static readonly IServiceProvider Services = new ServiceCollection().AddSweepsSerialization().BuildServiceProvider();

    [Fact]
    public void Pooled_writes_are_the_bytes_of_orleans_own_storage_serializer_and_read_back()
    {
        // 256 results with 200-point curves: ~0.9 MB, many pooled segments.
        var state = new RunTaskGrainState();
        var random = new Random(5);
        for (var index = 0; index < 256; index++)
        {
            var steps = Enumerable.Range(0, 200).Select(i => i * 10).ToArray();
            var curve = new Curve(steps, steps.Select(_ => random.NextDouble()).ToArray(), steps.Select(_ => random.NextDouble()).ToArray());
            state.Results[index] = new RunResult("sweep-a", index, RunStatus.Succeeded, curve.FinalLoss, curve, null, 1e-4, SimulatedSteps: 2000, TotalSteps: 2000);
        }

        var orleans = new OrleansGrainStorageSerializer(Services.GetRequiredService<Serializer>()).Serialize(state).ToArray();
        var pooled = SweepsSiloBuilderExtensions.StateSerializer(Services);
        Assert.IsType<PooledGrainStorageSerializer>(pooled);
        var written = pooled.Serialize(state);

        Assert.True(orleans.Length > 500_000, $"{orleans.Length} bytes");
        Assert.Equal(orleans, written.ToArray());
        var back = pooled.Deserialize<RunTaskGrainState>(written)!;
        Assert.Equal(state.Results.Keys, back.Results.Keys);
        Assert.All(state.Results, pair => Assert.Equal(pair.Value.Curve!.Loss, back.Results[pair.Key].Curve!.Loss));
    }

    [Fact]
    public void A_spec_and_final_loss_points_cross_between_grains_uncopied_while_other_library_types_are_copied()
    {
        var copier = Services.GetRequiredService<DeepCopier>();
        var spec = new SweepSpecParser(KernelCatalog.Default).Parse("""
            name: copy
            simulator: quadratic
            grid:
              peak_lr: {log_space: [0.001, 0.5], points: 1000}
              model_size: 16
              total_steps: 100
              schedule: cosine
            """).Spec!;
        var points = new List<FinalLossPoint> { new(16, 100, 0.01, 0, "cosine", 0, 1.5), new(16, 100, 0.02, 0, "cosine", 0, 1.4) };
        var schedule = new ScheduleSpec { Kind = ScheduleKind.Cosine, PeakLr = 0.1, TotalSteps = 100 };

        Assert.Same(spec, copier.Copy(spec));
        var copiedPoints = copier.Copy<IReadOnlyList<FinalLossPoint>>(points);
        Assert.NotSame(points, copiedPoints);
        Assert.All(points.Zip(copiedPoints), pair => Assert.Same(pair.First, pair.Second));
        // Without a registered copier, a library type is copied (through JSON): the test would notice the copiers missing.
        var copiedSchedule = copier.Copy(schedule);
        Assert.NotSame(schedule, copiedSchedule);
        Assert.Equal(Schedule.Evaluate(schedule), Schedule.Evaluate(copiedSchedule));
    }
}
