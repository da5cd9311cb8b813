using Sweeps.Contracts;

namespace Sweeps.Grains;

/// <summary>A run grain's durable state: its result once it has one.</summary>
[GenerateSerializer, Alias("sweeps.run-grain-state")]
public sealed class RunGrainState
{
    [Id(0)] public RunResult? Result { get; set; }
}
