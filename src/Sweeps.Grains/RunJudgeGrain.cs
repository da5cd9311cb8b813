using Microsoft.Extensions.Logging;
using Sweeps.Contracts;
using Sweeps.Core.Curves;
using Sweeps.Core.Grid;
using Sweeps.Laws.Adaptive;

namespace Sweeps.Grains;

/// <summary>
/// A sweep's stopping rule at work (<see cref="IRunJudgeGrain"/>): one activation a sweep holds what the
/// rule reads (<see cref="SweepProgress"/>), the finished runs, learnt from the sweep's feed with their
/// curves read from their grains, and the prefixes of the runs it has judged. Nothing of it is stored
/// apart from the runs' own results, which carry the stopped runs' figures and the law rule's
/// predictions: an activation lost with its silo is rebuilt from them on its first call. The rule's
/// arithmetic (a curve-law fit) runs off the grain scheduler, one judgement at a time.
/// </summary>
public sealed class RunJudgeGrain(ILogger<RunJudgeGrain> logger) : Grain, IRunJudgeGrain
{
    private readonly SweepProgress _progress = new();
    private readonly HashSet<long> _known = [];
    private SweepGrid? _grid;
    private IStoppingRule? _rule;
    private string _ruleName = "";
    private RunFollower? _follower;

    private string Id => this.GetPrimaryKeyString();

    public async Task<StopJudgement> Judge(RunDefinition run, Curve prefix)
    {
        if (_rule is null || _grid is null || _follower is null)
        {
            var sweep = GrainFactory.GetGrain<ISweepGrain>(Id);
            if (await sweep.GetSpec() is not { Stopping: { } settings } spec)
            {
                return new StopJudgement(false, "the sweep stops no runs");
            }

            (_grid, _rule, _ruleName, _follower) = (new SweepGrid(spec), IStoppingRule.Create(settings), settings.Rule.ToString().ToLowerInvariant(), new RunFollower(sweep));
        }

        if (run.Index >= _grid.Count)
        {
            await RefreshGridAsync(); // a run the sweep added to its grid since (adaptive.refine)
        }

        await LearnFinishedRunsAsync(_follower);
        var progress = new RunProgress(run, prefix, prefix.Count);
        _progress.Observe(progress);
        var rule = _rule;
        var decision = await Task.Run(() => rule.Decide(progress, _progress));
        if (decision.Stop)
        {
            _progress.Stopped(progress);
            logger.RunStopped(run.Index, Id, progress.Step, run.TotalSteps, _ruleName, decision.Reason);
        }

        var prediction = decision.PredictedFinal is { } predicted ? new FinalLossPrediction(progress.Fraction, predicted, decision.Scale ?? 1.0) : null;
        return new StopJudgement(decision.Stop, decision.Reason, prediction, decision.LowEnd ?? double.NaN) { Rule = _ruleName };
    }

    private async Task RefreshGridAsync()
    {
        if (await GrainFactory.GetGrain<ISweepGrain>(Id).GetSpec() is { } spec)
        {
            _grid = new SweepGrid(spec);
        }
    }

    /// <summary>Adds the runs recorded since the last call (every finished run, on the first) with their curves and the predictions made for them.</summary>
    private async Task LearnFinishedRunsAsync(RunFollower follower)
    {
        var (records, _) = await follower.NextAsync();
        var fresh = records.Where(r => r.Status.IsFinished() && _known.Add(r.Index)).Select(r => r.Index).ToList();
        if (fresh.Count > 0 && fresh.Max() >= _grid!.Count)
        {
            await RefreshGridAsync();
        }

        var grid = _grid!;
        foreach (var batch in fresh.Chunk(RunResults.CurveBatch))
        {
            foreach (var result in await RunResults.Of(GrainFactory, Id, grid, batch))
            {
                if (result?.Curve is not { Count: > 0 } curve)
                {
                    continue;
                }

                var progress = new RunProgress(grid.RunAt(result.Index), curve, curve.Count);
                if (result.Status == RunStatus.Stopped)
                {
                    _progress.Stopped(progress);
                }
                else
                {
                    _progress.Observe(progress);
                }

                if (_progress.LatestPrediction(result.Index) is null)
                {
                    foreach (var made in result.Predictions ?? [])
                    {
                        _progress.Predicted(result.Index, made.Fraction, made.Predicted, made.Scale);
                    }
                }
            }
        }
    }
}
