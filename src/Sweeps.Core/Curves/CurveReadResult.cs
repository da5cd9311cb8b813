using Sweeps.Core.Specs;

namespace Sweeps.Core.Curves;

/// <summary>A curve read from a file, or the errors that kept it from being read.</summary>
public sealed record CurveReadResult(Curve? Curve, IReadOnlyList<SpecError> Errors, IReadOnlyList<SpecError> Warnings);
