namespace Sweeps.Core.Specs;

/// <summary>
/// One problem found in user input: where it is (a YAML path such as <c>grid.peak_lr[0]</c>, or a
/// CSV column), what is wrong, the 1-based line when known, and the file when it is not the one
/// being read (a curve CSV named by a manifest).
/// </summary>
public sealed record SpecError(string Path, string Message, int? Line = null, string? File = null)
{
    /// <summary>Formats the error as <c>file:line: path: message</c>, the console's format.</summary>
    public string Format(string? file = null)
    {
        var source = File ?? file;
        var where = string.IsNullOrEmpty(source) ? "" : Line is { } line ? $"{source}:{line}: " : $"{source}: ";
        if (string.IsNullOrEmpty(source) && Line is { } onlyLine)
        {
            where = $"line {onlyLine}: ";
        }

        var path = string.IsNullOrEmpty(Path) ? "" : Path + ": ";
        return $"{where}{path}{Message}";
    }

    public override string ToString() => Format();
}
