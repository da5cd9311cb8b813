using System.CommandLine;

namespace Sweeps.Cli.Commands.Law;

/// <summary><c>sweeps law …</c>: fit and evaluate laws offline, on curve manifests, with no cluster.</summary>
internal static class LawCommand
{
    public static Command Create() => new("law", "Fit and evaluate laws on loss curves, offline")
    {
        LawFitCommand.Create(),
        LawEvalCommand.Create(),
        OptimizeScheduleCommand.Create(),
        OptLawsCommand.Create(),
    };
}
