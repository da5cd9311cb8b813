using System.Globalization;

namespace Sweeps.Kernels.ExternalRuns;

/// <summary>
/// The resident memory of what a command run started: every process in the session of the command
/// (the supervisor shell starts it with <c>setsid</c>, so its session id is its pid, and its children
/// and helpers inherit the session). Read from <c>/proc/PID/stat</c>; Linux only, as the runner is.
/// </summary>
internal static class SessionMemory
{
    public static long ResidentBytes(int supervisorPid)
    {
        var processes = new List<(int Pid, int ParentPid, int Session, long ResidentPages)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } process)
            {
                processes.Add(process);
            }
        }

        // The command: a child of the supervisor that leads its own session.
        var sessions = processes.Where(p => p.ParentPid == supervisorPid && p.Session == p.Pid).Select(p => p.Session).ToHashSet();
        return processes.Where(p => sessions.Contains(p.Session)).Sum(p => p.ResidentPages) * Environment.SystemPageSize;
    }

    /// <summary>Fields 4 (ppid), 6 (session) and 24 (rss, pages) of <c>/proc/PID/stat</c>; null when the process is gone.</summary>
    private static (int, int, int, long)? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) is in parentheses and may hold spaces: count fields after its last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 21
            && int.TryParse(fields[1], CultureInfo.InvariantCulture, out var parent)
            && int.TryParse(fields[3], CultureInfo.InvariantCulture, out var session)
            && long.TryParse(fields[21], CultureInfo.InvariantCulture, out var rss)
            ? (pid, parent, session, rss)
            : null;
    }
}
