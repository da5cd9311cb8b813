namespace Sweeps.Cli;

/// <summary>The console's exit codes (DESIGN.md, Console contract).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;

    /// <summary>Interrupted by Ctrl+C (128 + SIGINT); the sweep resumes when run again.</summary>
    public const int Interrupted = 130;
}
