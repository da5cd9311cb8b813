using Sweeps.Contracts;

namespace Sweeps.Grains;

/// <summary>The versions of a sweep's fits kept (the last <see cref="LawFitGrain.KeptVersions"/>, newest last), and the last number handed out.</summary>
[GenerateSerializer, Alias("sweeps.law-fit-state")]
public sealed class LawFitGrainState
{
    [Id(0)] public List<FitVersion> Versions { get; set; } = [];

    [Id(1)] public int LastVersion { get; set; }
}
