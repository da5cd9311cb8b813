namespace Sweeps.Core.Simulators;

/// <summary>A numeric option of a simulator, with its default and allowed range (inclusive).</summary>
public sealed record SimulatorOption(string Name, double Default, double Min, double Max, string Description, bool WholeNumber = false)
{
    public string? Check(double value)
    {
        if (!double.IsFinite(value) || value < Min || value > Max)
        {
            return $"must be in [{Min}, {Max}], got {value}";
        }

        return WholeNumber && value != Math.Round(value) ? $"must be a whole number, got {value}" : null;
    }
}
