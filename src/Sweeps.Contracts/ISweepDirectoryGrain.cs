namespace Sweeps.Contracts;

/// <summary>
/// The cluster's list of sweeps (one grain, key <see cref="Key"/>), for <c>sweeps status</c> without
/// an id and for dashboards. A sweep registers itself when it is first started.
/// </summary>
[Alias("sweeps.sweep-directory")]
public interface ISweepDirectoryGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    [Alias("register")]
    Task Register(SweepEntry entry);

    /// <summary>Every registered sweep, oldest first.</summary>
    [Alias("list")]
    Task<IReadOnlyList<SweepEntry>> List();
}
