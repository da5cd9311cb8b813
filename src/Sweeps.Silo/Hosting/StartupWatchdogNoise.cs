using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Sweeps.Silo.Hosting;

/// <summary>
/// Drops one false alarm of Orleans' watchdog and passes every other line to the console logger.
/// Until its component check first completes, the watchdog measures the time since a timestamp of 0
/// on the monotonic clock, so about a minute after start every silo warned "Participant check thread
/// has not completed for 13:22:57", the machine's uptime, "potentially indicating ... deadlock".
/// A stall can be no longer than the process has lived, so a warning that claims more is that bug;
/// a real stall (shorter than the process's age) and the runtime-stall warnings still show.
/// </summary>
internal sealed class StartupWatchdogNoise(ILoggerProvider console) : ILoggerProvider, ISupportExternalScope
{
    private const string WatchdogCategory = "Orleans.Runtime.Watchdog";

    /// <summary>Replaces the console provider that <c>AddConsole</c> registered with this filter around it.</summary>
    public static void WrapConsole(IServiceCollection services)
    {
        services.RemoveAll<ILoggerProvider>();
        services.AddSingleton<ILoggerProvider>(provider => new StartupWatchdogNoise(new ConsoleLoggerProvider(
            provider.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(), provider.GetServices<ConsoleFormatter>())));
    }

    public ILogger CreateLogger(string categoryName)
    {
        var logger = console.CreateLogger(categoryName);
        return categoryName == WatchdogCategory ? new Filtered(logger) : logger;
    }

    public void Dispose() => console.Dispose();

    /// <summary>The logger factory hands its scopes to providers that ask: passed on, or the console would write none.</summary>
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (console as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    private sealed class Filtered(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!ClaimsLongerThanTheProcessLived(state, exception, formatter))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }

        private static bool ClaimsLongerThanTheProcessLived<TState>(TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            state is IReadOnlyList<KeyValuePair<string, object?>> values
            && values.Any(v => v.Value is TimeSpan claimed && claimed > DateTime.Now - Process.GetCurrentProcess().StartTime)
            && formatter(state, exception).StartsWith("Participant check thread has not completed", StringComparison.Ordinal);
    }
}
