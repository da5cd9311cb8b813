using Sweeps.Contracts;

namespace Sweeps.Grains;

/// <summary>A run-task grain's durable state: the results of its runs, by grid index.</summary>
[GenerateSerializer, Alias("sweeps.run-task-grain-state")]
public sealed class RunTaskGrainState
{
    [Id(0)] public Dictionary<long, RunResult> Results { get; set; } = [];
}
