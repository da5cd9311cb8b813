using System.Diagnostics;

namespace Sweeps.Grains;

/// <summary>
/// The silo's trace spans, on the BCL's <see cref="ActivitySource"/> (named <see cref="SourceName"/>):
/// a <c>run</c> span per executed run carrying its sweep id and grid point, a <c>fit</c> span per law fit.
/// The host exports them over OTLP when configured; with no listener they cost nothing.
/// </summary>
public static class SweepsTracing
{
    public const string SourceName = "Sweeps";

    public static readonly ActivitySource Source = new(SourceName);
}
