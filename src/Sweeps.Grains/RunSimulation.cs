using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Core.Schedules;
using Sweeps.Kernels;

namespace Sweeps.Grains;

/// <summary>
/// One run of a sweep through its kernel, as run grains and run-task grains execute it: the
/// schedule evaluated, checkpoints shared with the silo's other runs, and any failure of the kernel
/// turned into a <see cref="RunStatus.Failed"/> result rather than an exception.
/// </summary>
public sealed class RunSimulation(KernelCatalog kernels, PrefixCache prefixes, SweepsMetrics metrics, ILogger<RunSimulation> logger)
{
    /// <param name="parent">The sweep's span, whose child this run's span is (<see cref="SweepsTracing.RequestedParent"/>).</param>
    /// <param name="observer">Told each curve point as the kernel records it (a run being watched).</param>
    public RunResult Simulate(
        string sweepId, RunDefinition run, string simulator, int curvePoints, CancellationToken cancellationToken, ActivityContext parent = default, ICurveObserver? observer = null)
    {
        metrics.RunStarted();
        using var span = SweepsTracing.StartRun(sweepId, run, simulator, parent);
        var result = Execute(sweepId, run, simulator, curvePoints, observer, cancellationToken);
        SweepsTracing.EndRun(span, result);
        if (result.Status == RunStatus.Failed)
        {
            logger.RunFailed(run.Index, sweepId, result.Error);
        }

        metrics.RunFinished(result);
        return result;
    }

    /// <summary>
    /// A closed-form kernel (the pretraining twin) computes its whole curve at once; its points are told
    /// afterwards, in order, as a stepped kernel tells them while it runs, so that the run can be watched and a
    /// stopping rule judges it at the same checkpoints (a stop cancels the run at the point judged).
    /// </summary>
    private static void TellInOrder(Core.Curves.Curve curve, ICurveObserver observer, CancellationToken cancellationToken)
    {
        for (var i = 0; i < curve.Count; i++)
        {
            observer.Recorded(curve.Steps[i], curve.Lr[i], curve.Loss[i]);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private RunResult Execute(string sweepId, RunDefinition run, string simulator, int curvePoints, ICurveObserver? observer, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var kernel = kernels.Get(simulator);
            var learningRates = Schedule.Evaluate(run.Schedule);
            var kernelRun = new KernelRun(learningRates, run.ModelSize, run.Seed, run.Options, curvePoints)
            {
                ShareablePrefix = HorizonIndependentPrefix.Of(run.Schedule, learningRates),
                Observer = observer,
            };
            // Stepped kernels continue from the deepest checkpoint of a run with the same first steps on this silo.
            var outcome = kernel is SteppedKernel stepped ? stepped.Run(kernelRun, prefixes, cancellationToken) : kernel.Run(kernelRun, cancellationToken);
            if (kernel is not SteppedKernel && observer is not null && outcome.Curve is { } closedForm)
            {
                TellInOrder(closedForm, observer, cancellationToken);
            }

            var status = outcome.Outcome == RunOutcome.Diverged ? RunStatus.Diverged : RunStatus.Succeeded;
            // Stored and carried without the LR column when it is the schedule's: readers get it back (RunResults.Of).
            var lrOfSchedule = outcome.Curve is { } curve && ScheduleLrColumn.IsTheSchedules(curve, learningRates);
            return new RunResult(sweepId, run.Index, status, outcome.FinalLoss, lrOfSchedule ? outcome.Curve! with { Lr = [] } : outcome.Curve, null,
                clock.Elapsed.TotalSeconds, SimulatedSteps: outcome.SimulatedSteps, TotalSteps: kernelRun.TotalSteps)
            { LrOfSchedule = lrOfSchedule };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new RunResult(sweepId, run.Index, RunStatus.Failed, double.NaN, null, $"{e.GetType().Name}: {e.Message}", clock.Elapsed.TotalSeconds);
        }
    }
}
