namespace Sweeps.Grains;

/// <summary>Names of the grain storage providers the grains use.</summary>
public static class StorageNames
{
    public const string Sweeps = "sweeps";

    /// <summary>The sweep grain's own state (beside its ledger pages), which other sweeps read to reuse its runs.</summary>
    public const string SweepState = "sweep";
}
