using Sweeps.Core.Curves;
using Sweeps.Core.Grid;

namespace Sweeps.Contracts;

/// <summary>
/// Judges a sweep's runs at their checkpoints with the sweep's stopping rule (key: the sweep id). It
/// learns the finished runs from the sweep and their curves from their grains, so an activation lost
/// with its silo is rebuilt from what is stored, and decides as the rule would on that record.
/// </summary>
[Alias("sweeps.run-judge")]
public interface IRunJudgeGrain : IGrainWithStringKey
{
    /// <summary>Whether <paramref name="run"/>, whose curve so far is <paramref name="prefix"/> (steps count updates), should go on.</summary>
    [Alias("judge")]
    Task<StopJudgement> Judge(RunDefinition run, Curve prefix);
}
