using Sweeps.Core.Curves;
using Sweeps.Core.Grid;

namespace Sweeps.Laws;

/// <summary>A finished run's loss curve (step t = loss after t updates) with the run that produced it.</summary>
public sealed record RunCurve(RunDefinition Run, Curve Curve);
