using Spectre.Console;

namespace Sweeps.Cli.Output;

/// <summary>
/// Stdout sent to a pipe or a file is read by programs (grep, awk, a log), not a terminal of some
/// width: Spectre assumes 80 columns there and wraps long lines and table cells, splitting numbers
/// across lines (0.0004204 as 0.00042 / 04) and cutting headers short. Redirected, the console is
/// given room for any line the summaries print, so each row stays one line.
/// </summary>
internal static class RedirectedOutput
{
    /// <summary>Columns assumed when stdout is redirected: wider than any table or line Sweeps prints.</summary>
    public const int Width = 1000;

    public static void KeepLinesWholeWhenRedirected()
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Width;
        }
    }
}
