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
    public SimulatorOption? Option(string name) => Options.FirstOrDefault(o => o.Name == name);

    public string? CheckModelSize(double size)
    {
        if (!(size >= MinModelSize && size <= MaxModelSize))
        {
            return $"must be in [{MinModelSize}, {MaxModelSize}] for simulator {Name}, got {size}";
        }

        return ModelSizeIsCount && size != Math.Round(size) ? $"must be a whole number for simulator {Name}, got {size}" : null;
    }
}
