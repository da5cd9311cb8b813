namespace Sweeps.Contracts;

/// <summary>How run grains are keyed: by sweep and run id, so two sweeps never share a run grain.</summary>
public static class RunKeys
{
    public static string Of(string sweepId, string runId) => $"{sweepId}/{runId}";
}
