namespace Sweeps.Core.Specs;

/// <summary>
/// Thrown by the convenience loaders when input is invalid; carries every problem found so the
/// console can print them all at once (exit code 2).
/// </summary>
public sealed class SpecException(string file, IReadOnlyList<SpecError> errors)
    : Exception(string.Join(Environment.NewLine, errors.Select(e => e.Format(file))))
{
    public string File { get; } = file;
    public IReadOnlyList<SpecError> Errors { get; } = errors;
}
