namespace Sweeps.Cli.Embedded;

/// <summary>
/// One process at a time on a data directory: the embedded silo holds <c>.sweeps.lock</c> open with
/// no sharing (an advisory lock the OS releases when the process dies, even by kill -9). Two silos on
/// one SQLite store would each think they own its grains: a reader beside a live <c>sweeps run</c>
/// made that run fail with InconsistentStateException.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = ".sweeps.lock";

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <exception cref="DataDirectoryInUseException">Another process holds the directory.</exception>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        try
        {
            return new DataDirectoryLock(new FileStream(Path.Combine(dataDirectory, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException e) when (e is not (DirectoryNotFoundException or PathTooLongException))
        {
            throw new DataDirectoryInUseException(dataDirectory, e);
        }
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>A data directory another sweeps process has open.</summary>
internal sealed class DataDirectoryInUseException(string dataDirectory, Exception inner) : IOException(
    $"data directory {dataDirectory} is in use by another sweeps process (a run, an ingest or a command reading it); " +
    "wait for it to finish, or follow it where it runs", inner);
