namespace Sweeps.Core.Simulators;

/// <summary>What a spec may say about a simulator: its name, options and valid model sizes.</summary>
public sealed record SimulatorInfo(
    string Name,
    string Description,
    IReadOnlyList<SimulatorOption> Options,
    double MinModelSize,
    double MaxModelSize,
    bool ModelSizeIsCount)
{
    /// <summary>Options of any name are passed through (the <c>command</c> simulator: they are the command's).</summary>
    public bool AcceptsAnyOption { get; init; }

    public SimulatorOption? Option(string name) => Options.FirstOrDefault(o => o.Name == name)
        ?? (AcceptsAnyOption ? new SimulatorOption(name, 0, double.MinValue, double.MaxValue, "passed to the command") : null);

    public string? CheckModelSize(double size)
    {
        if (!(size >= MinModelSize && size <= MaxModelSize))
        {
            return $"must be in [{MinModelSize}, {MaxModelSize}] for simulator {Name}, got {size}";
        }

        return ModelSizeIsCount && size != Math.Round(size) ? $"must be a whole number for simulator {Name}, got {size}" : null;
    }
}
