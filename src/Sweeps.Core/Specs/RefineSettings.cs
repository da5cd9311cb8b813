namespace Sweeps.Core.Specs;

/// <summary>
/// How a sweep refines its grid where the optimum is (<c>adaptive.refine</c>): once every run has
/// finished, each (model size, horizon) whose interpolated optimal peak LR sits at the grid's edge, or
/// whose bracket is wider than <see cref="Until"/> in log10 LR, gets new peak LRs beyond the edge or between
/// the optimum and its neighbours, with the grid's other axes; until every optimum is resolved or
/// <see cref="MaxAddedRuns"/> runs have been added.
/// </summary>
public sealed record RefineSettings
{
    /// <summary>The axis refined; the optimal peak LR is the one the laws need (and the only one supported).</summary>
    public string Axis { get; init; } = "peak_lr";

    /// <summary>An optimum is resolved when its bracket, the peak LRs either side of the best, spans at most this in log10 LR.</summary>
    public double Until { get; init; } = 0.1;

    /// <summary>Most runs added to the grid (null: as many as the grid has, so a sweep at most doubles).</summary>
    public int? MaxAddedRuns { get; init; }
}
