namespace Sweeps.Tests;

/// <summary>What the tests ask of a process by its id.</summary>
internal static class Processes
{
    /// <summary>Whether it still runs: a process that has exited but is not yet reaped (a zombie) is not alive.</summary>
    public static bool Alive(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");
        }
        catch (IOException)
        {
            return false; // gone, possibly between a check for the file and reading it (a flake seen in CI)
        }
    }
}
