using Sweeps.Core.Input;
using Sweeps.Core.Specs;
using Sweeps.Kernels;
using Sweeps.Laws.Adaptive;

namespace Sweeps.Cli.Commands;

/// <summary>Reads and validates a spec file, printing every problem as <c>file:line: path: message</c>.</summary>
internal static class SpecFile
{
    public static SweepSpec? Load(string path, long? maxRuns, TextWriter errors)
    {
        if (InputText.Read(path, out var problem) is not { } text)
        {
            errors.WriteLine($"{path}: {problem}");
            return null;
        }

        var parse = new SweepSpecParser(KernelCatalog.Default)
            .Parse(text, Path.GetDirectoryName(Path.GetFullPath(path)), maxRuns);
        foreach (var error in parse.Errors)
        {
            errors.WriteLine(error.Format(path));
        }

        // The parser reads a stopping rule's fit file; whether its parameters are a fit of the law is the law's to say.
        if (parse.Spec?.Stopping is { FitParameters: not null } stopping)
        {
            try
            {
                IStoppingRule.Create(stopping);
            }
            catch (ArgumentException e)
            {
                errors.WriteLine($"{path}: adaptive.stop.fit: {e.Message}");
                return null;
            }
        }

        return parse.Spec;
    }
}
