using Sweeps.Core.Curves;
using Sweeps.Core.Grid;

namespace Sweeps.Laws;

/// <summary>A finished run's loss curve (step t = loss after t updates) with the run that produced it.</summary>
public sealed record RunCurve(RunDefinition Run, Curve Curve)
{
    /// <summary>
    /// The curve is a log ingested from elsewhere: its steps are the laws' steps and every point is
    /// fitted, as <c>sweeps law fit</c> reads a manifest, so both fits agree.
    /// </summary>
    public bool AsLogged { get; init; }
}
