using Sweeps.Core.Simulators;

namespace Sweeps.Core.ExternalRuns;

/// <summary>
/// The <c>command</c> simulator: each run is a process that trains for real and reports its loss
/// (the protocol in README). Its options are whatever the command takes: any name, any number.
/// </summary>
public static class CommandSimulator
{
    public const string Name = "command";

    public static SimulatorInfo Info { get; } = new(
        Name, "an external training process per run, speaking the JSON-lines protocol", [], double.Epsilon, double.MaxValue,
        ModelSizeIsCount: false)
    { AcceptsAnyOption = true };
}
