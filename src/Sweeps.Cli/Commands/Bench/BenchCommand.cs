using System.CommandLine;

namespace Sweeps.Cli.Commands.Bench;

/// <summary><c>sweeps bench …</c>: speed and accuracy measured against a baseline run in the same process.</summary>
internal static class BenchCommand
{
    public static Command Create() => new("bench", "Measure speed and accuracy against in-process baselines")
    {
        BenchLawsCommand.Create(),
        BenchKernelsCommand.Create(),
        BenchClusterCommand.Create(),
        BenchPredictCommand.Create(),
        BenchAdaptiveCommand.Create(),
    };
}
