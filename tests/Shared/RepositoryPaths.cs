namespace Sweeps.Tests;

/// <summary>Where the repository, its examples and the shared data beside it are, seen from a test.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Examples => Path.Combine(Root, "examples");

    /// <summary>The steering repo's shared/ folder, which CI places beside the clone.</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));

    /// <summary>The real 25M-model curves' manifest; a test that needs it says where it should be, when it is not there.</summary>
    public static string Mpl25mManifest => Required(Path.Combine(SharedData, "mpl-25m", "curves.yaml"));

    private static string Required(string path) => File.Exists(path)
        ? path
        : throw new FileNotFoundException($"the shared test data is missing: expected {path} (the steering repository's shared/ folder, beside this clone, as CI places it)", path);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Sweeps.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"no Sweeps.sln above {AppContext.BaseDirectory}");
    }
}
