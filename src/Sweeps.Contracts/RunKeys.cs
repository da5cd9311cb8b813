namespace Sweeps.Contracts;

/// <summary>How run grains are keyed: by sweep and run id, so two sweeps never share a run grain.</summary>
public static class RunKeys
{
    public static string Of(string sweepId, string runId) => $"{sweepId}/{runId}";

    /// <summary>The task of <paramref name="taskSize"/> runs that holds grid index <paramref name="index"/>: keyed by its first index.</summary>
    public static string OfTask(string sweepId, long index, int taskSize) => $"{sweepId}/task{index - index % taskSize:D7}";
}
