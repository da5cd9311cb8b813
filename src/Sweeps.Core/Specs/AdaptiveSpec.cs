namespace Sweeps.Core.Specs;

/// <summary>
/// What a sweep does on its own as its runs come in (the spec's <c>adaptive:</c> section): stop runs
/// that cannot win, and add peak LRs where the optimum is not resolved. Null parts are off.
/// </summary>
public sealed record AdaptiveSpec
{
    /// <summary>How runs are stopped early (<c>adaptive.stop</c>); null: every run goes to its last step.</summary>
    public StoppingSettings? Stop { get; init; }

    /// <summary>How the grid is refined around each optimal peak LR (<c>adaptive.refine</c>); null: the grid is as written.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public RefineSettings? Refine { get; init; }
}
