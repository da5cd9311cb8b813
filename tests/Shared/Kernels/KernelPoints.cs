using Sweeps.Core.Grid;
using Sweeps.Kernels;

namespace Sweeps.Tests;

/// <summary>
/// The reference for a running run's curve: the run's kernel, executed here alone and stopped once
/// it has recorded <c>lastStep</c> (a run's early points do not depend on how long it goes on), as
/// step → loss.
/// </summary>
public static class KernelPoints
{
    public static IReadOnlyDictionary<int, double> Until(RunDefinition run, int curvePoints, int lastStep, string simulator = "quadratic")
    {
        using var stop = new CancellationTokenSource();
        var recorder = new StoppingRecorder(stop, lastStep);
        var kernelRun = new KernelRun(Core.Schedules.Schedule.Evaluate(run.Schedule), run.ModelSize, run.Seed, run.Options, curvePoints) { Observer = recorder };
        try
        {
            KernelCatalog.Default.Get(simulator).Run(kernelRun, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // stopped at lastStep, as asked
        }

        return recorder.Points;
    }

    private sealed class StoppingRecorder(CancellationTokenSource stop, int lastStep) : ICurveObserver
    {
        public Dictionary<int, double> Points { get; } = [];

        public void Recorded(int step, double lr, double loss)
        {
            Points[step] = loss;
            if (step >= lastStep)
            {
                stop.Cancel();
            }
        }
    }
}
