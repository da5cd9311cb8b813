namespace Sweeps.Core.Specs;

/// <summary>
/// What a sweep does on its own as its runs come in (the spec's <c>adaptive:</c> section): stop runs
/// that cannot win. Null parts are off.
/// </summary>
public sealed record AdaptiveSpec
{
    /// <summary>How runs are stopped early (<c>adaptive.stop</c>); null: every run goes to its last step.</summary>
    public StoppingSettings? Stop { get; init; }
}
