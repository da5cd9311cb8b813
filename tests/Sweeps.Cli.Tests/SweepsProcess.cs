using System.Diagnostics;

namespace Sweeps.Cli.Tests;

/// <summary>Runs the real <c>sweeps</c> console as a child process, as a user would.</summary>
internal static class SweepsProcess
{
    private static string Dll => Path.Combine(AppContext.BaseDirectory, "sweeps.dll");

    public static Process Start(string workingDirectory, params string[] args) => Start(workingDirectory, null, args);

    /// <summary>Starts it with extra environment variables (e.g. <c>SWEEPS_TOKEN</c>).</summary>
    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args) =>
        StartExecutable("dotnet", workingDirectory, environment, [Dll, .. args]);

    /// <summary>Starts another build of it (a published one, a tool's shim), with only what <paramref name="environment"/> adds to this process's environment.</summary>
    public static Process StartExecutable(string executable, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start sweeps");
    }

    public static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, null, args);

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Start(workingDirectory, environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"sweeps {string.Join(' ', args)} did not finish in 3 minutes; stderr: {await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>The shape of every bad-input test: the command exits 2 and says why on stderr.</summary>
internal static class CliAssert
{
    /// <returns>The command's stderr, for further assertions.</returns>
    public static async Task<string> ExitsWithBadInputAsync(string workingDirectory, string expectedMessage, params string[] args)
    {
        var (exitCode, _, stderr) = await SweepsProcess.RunAsync(workingDirectory, args);
        Assert.Equal(2, exitCode);
        Assert.Contains(expectedMessage, stderr);
        return stderr;
    }
}
