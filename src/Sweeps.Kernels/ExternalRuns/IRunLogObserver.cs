namespace Sweeps.Kernels.ExternalRuns;

/// <summary>
/// Sees a command run's log as the process writes it (every line that is not a protocol line, from
/// stdout or stderr), so a run can be watched while it is going, not only read after it failed. A
/// curve observer given to <see cref="CommandRunner"/> that also implements this sees both.
/// </summary>
public interface IRunLogObserver
{
    void Logged(string line);
}
