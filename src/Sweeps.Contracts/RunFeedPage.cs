namespace Sweeps.Contracts;

/// <summary>
/// Runs a sweep recorded after a reader's last position (<see cref="ISweepGrain.GetRecentRuns"/>), in
/// the order they finished. <see cref="Epoch"/> names the sweep activation that numbered them:
/// sequences restart with each activation. <see cref="Gap"/> says the reader's position is not
/// in the feed (first call, another activation, or fallen too far behind): it must read the ledger
/// (<see cref="SweepGrainExtensions.ReadRunsAsync"/>), which holds every run up to
/// <see cref="Sequence"/>, and go on from there.
/// </summary>
[GenerateSerializer, Immutable, Alias("sweeps.run-feed-page")]
public sealed record RunFeedPage(
    [property: Id(0)] Guid Epoch,
    [property: Id(1)] long Sequence,
    [property: Id(2)] IReadOnlyList<RunRecord> Runs,
    [property: Id(3)] bool Gap);
