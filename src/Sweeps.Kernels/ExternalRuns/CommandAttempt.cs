using Sweeps.Core.Curves;

namespace Sweeps.Kernels.ExternalRuns;

/// <summary>
/// How one start of a command run ended: <see cref="Outcome"/> when the process reported a usable
/// run (succeeded or diverged), otherwise <see cref="Error"/> says why it failed (a non-zero exit,
/// hung, timed out, no loss reported). The curve holds what it reported either way, and
/// <see cref="LogTail"/> its last lines of other output.
/// </summary>
public sealed record CommandAttempt(RunOutcome? Outcome, string? Error, Curve Curve, double FinalLoss, IReadOnlyList<string> LogTail, int? ExitCode)
{
    public bool Failed => Outcome is null;
}
