namespace Sweeps.Core.Specs;

/// <summary>A valid spec, or every error that keeps the text from being one.</summary>
public sealed record SweepSpecParse(SweepSpec? Spec, IReadOnlyList<SpecError> Errors);
