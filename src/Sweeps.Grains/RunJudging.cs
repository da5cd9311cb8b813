using Microsoft.Extensions.Logging;
using Sweeps.Contracts;
using Sweeps.Core.Grid;
using Sweeps.Kernels;
using Sweeps.Kernels.ExternalRuns;
using Sweeps.Laws.Adaptive;

namespace Sweeps.Grains;

/// <summary>
/// Puts a running run before the sweep's stopping rule (<see cref="IRunJudgeGrain"/>) at each of its
/// checkpoints. It sits between the kernel (or a command's output) and the run's <see cref="LiveCurve"/>:
/// when a recorded point passes a checkpoint, the recording thread waits for the judgement, so the
/// rule judges exactly the prefix it would in <c>sweeps bench adaptive</c>'s replay and a kernel
/// stops at that point (it checks its cancellation right after each record); a command run's output
/// waits in its pipe meanwhile. A stop cancels the run as a cancel does (a command's process tree is
/// ended), and <see cref="Stop"/> says it was the rule. A judgement that fails lets the run go on.
/// </summary>
internal sealed class RunJudging(
    RunDefinition run, IStoppingRule checkpoints, IRunJudgeGrain judge, LiveCurve live, CancellationTokenSource cancel, ILogger logger, string sweepId)
    : ICurveObserver, IRunLogObserver
{
    private readonly List<FinalLossPrediction> _predictions = [];
    private int _lastStep = -1;

    /// <summary>Why the run was stopped (null while it runs on).</summary>
    public StopJudgement? Stop { get; private set; }

    /// <summary>The law rule's predictions of this run's final loss so far, in the order they were made.</summary>
    public IReadOnlyList<FinalLossPrediction> Predictions => _predictions;

    public void Logged(string line) => live.Logged(line);

    public void Recorded(int step, double lr, double loss)
    {
        if (Stop is not null)
        {
            return; // a command's line already in its pipe when it was stopped: the run ends at the judged point
        }

        live.Recorded(step, lr, loss);
        var from = step > _lastStep ? Math.Max(_lastStep, 0) : 0; // a retried command run starts its curve again
        _lastStep = step;
        if (!checkpoints.Checks(run, from, step))
        {
            return;
        }

        try
        {
            // Blocking on purpose (see the summary): this is the kernel's worker thread or a command's reader, never a grain's.
            var judgement = judge.Judge(run, live.Snapshot(int.MaxValue).Curve).GetAwaiter().GetResult();
            if (judgement.Prediction is { } prediction)
            {
                _predictions.Add(prediction);
            }

            if (judgement.Stop)
            {
                Stop = judgement;
                cancel.Cancel();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.JudgingFailed(e, run.Index, sweepId, step);
        }
    }
}
