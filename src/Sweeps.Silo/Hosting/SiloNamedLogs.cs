using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sweeps.Silo.Hosting;

/// <summary>
/// Puts the silo's name on every log line as a scope (<c>"silo": NAME</c> among a JSON line's scopes),
/// so the lines of a cluster's silos, gathered in one place, say which silo wrote each. The console
/// formatter has no fixed fields of its own; a scope around each line is how it carries one.
/// </summary>
internal sealed class SiloNamedLogs(ILoggerProvider inner, string siloName) : ILoggerProvider, ISupportExternalScope
{
    /// <summary>Wraps the logger provider registered last (the console's, as <see cref="StartupWatchdogNoise"/> left it).</summary>
    public static void Wrap(IServiceCollection services, string siloName)
    {
        var console = services.Last(d => d.ServiceType == typeof(ILoggerProvider));
        services.Remove(console);
        services.AddSingleton<ILoggerProvider>(provider => new SiloNamedLogs((ILoggerProvider)console.ImplementationFactory!(provider), siloName));
    }

    private readonly SiloScope _scope = new(siloName);

    public ILogger CreateLogger(string categoryName) => new Named(inner.CreateLogger(categoryName), _scope);

    public void Dispose() => inner.Dispose();

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    private sealed class Named(ILogger logger, SiloScope scope) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => logger.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logger.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!logger.IsEnabled(logLevel))
            {
                return;
            }

            using (logger.BeginScope(scope))
            {
                logger.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }

    /// <summary>One field, <c>silo</c>: structured, so the JSON formatter writes it as a property.</summary>
    private sealed class SiloScope(string name) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _fields = [new("silo", name)];

        public int Count => 1;

        public KeyValuePair<string, object?> this[int index] => _fields[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_fields).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"silo {name}";
    }
}
