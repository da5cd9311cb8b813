using Microsoft.Extensions.Logging;
using Sweeps.Silo.Hosting;

namespace Sweeps.Silo.Tests;

public class StartupWatchdogNoiseTests
{
    private const string Stalled = "Participant check thread has not completed for {TimeSinceLastTick}, potentially indicating lock contention or deadlock, CPU starvation, or another execution anomaly.";

    [Fact]
    public void The_watchdogs_claim_of_a_stall_longer_than_the_process_has_lived_is_dropped_and_every_other_line_passes()
    {
        var recorded = new RecordingProvider();
        using var filter = new StartupWatchdogNoise(recorded);
        var watchdog = filter.CreateLogger("Orleans.Runtime.Watchdog");

        watchdog.LogWarning(Stalled, TimeSpan.FromHours(13)); // the machine's uptime: Orleans' timestamp 0
        watchdog.LogWarning(Stalled, TimeSpan.FromMilliseconds(1)); // a stall the process could have had
        watchdog.LogWarning(".NET Runtime Platform stalled for {TimeSinceLastTick}.", TimeSpan.FromHours(13));
        filter.CreateLogger("Sweeps.Grains.SweepGrain").LogWarning(Stalled, TimeSpan.FromHours(13));

        Assert.Equal(
            [
                "Orleans.Runtime.Watchdog: Participant check thread has not completed for 00:00:00.0010000, potentially indicating lock contention or deadlock, CPU starvation, or another execution anomaly.",
                "Orleans.Runtime.Watchdog: .NET Runtime Platform stalled for 13:00:00.",
                "Sweeps.Grains.SweepGrain: Participant check thread has not completed for 13:00:00, potentially indicating lock contention or deadlock, CPU starvation, or another execution anomaly.",
            ],
            recorded.Lines);
    }

    private sealed class RecordingProvider : ILoggerProvider
    {
        public List<string> Lines { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Recording(categoryName, Lines);

        public void Dispose()
        {
        }

        private sealed class Recording(string category, List<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Add($"{category}: {formatter(state, exception)}");
        }
    }
}
