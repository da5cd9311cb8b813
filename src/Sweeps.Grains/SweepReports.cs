using Microsoft.Extensions.Logging;

namespace Sweeps.Grains;

/// <summary>
/// How the run, task and law-fit grains report to their sweep grain: a few attempts with a growing
/// pause (the sweep grain moving to another silo, a storage blip), then give up with an error
/// logged. Nothing is lost by giving up: the reporter keeps what it reported in its own storage,
/// and the sweep asks again (its redispatch of an unfinished run, its reminder while it fits).
/// </summary>
internal static class SweepReports
{
    public const int Attempts = 5;

    /// <summary>Sends <paramref name="report"/>; whether it got through.</summary>
    /// <param name="what">What is reported, for the log ("run 12", "a task", "the fits").</param>
    public static async Task<bool> SendAsync(Func<Task> report, ILogger logger, string what, string sweepId)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await report();
                return true;
            }
            catch (Exception e) when (attempt < Attempts)
            {
                logger.ReportRetried(e, what, sweepId, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
            catch (Exception e)
            {
                logger.ReportGivenUp(e, what, sweepId);
                return false;
            }
        }
    }
}
