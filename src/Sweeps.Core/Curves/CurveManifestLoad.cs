using Sweeps.Core.Specs;

namespace Sweeps.Core.Curves;

/// <summary>A loaded manifest, or every error that kept it from loading; warnings either way.</summary>
public sealed record CurveManifestLoad(CurveManifest? Manifest, IReadOnlyList<SpecError> Errors, IReadOnlyList<SpecError> Warnings);
