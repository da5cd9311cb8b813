namespace Sweeps.Core.Tests;

/// <summary>A scratch directory for files a test writes, deleted afterwards.</summary>
internal sealed class TempFiles : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("sweeps-test-").FullName;

    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
