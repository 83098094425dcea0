using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RedlockAspects.IntegrationTests.Infrastructure;

/// <summary>A logger factory that keeps every line at every level, for tests that read what an operator would see.</summary>
public sealed class CapturingLoggerFactory : ILoggerFactory
{
    private readonly ConcurrentQueue<LogLine> _lines = new();

    public IReadOnlyList<LogLine> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    /// <summary>Lines at <paramref name="level"/> or above.</summary>
    public LogLine[] AtLeast(LogLevel level) => Lines.Where(l => l.Level >= level).ToArray();

    /// <summary>Lines of one generated message (its event id).</summary>
    public LogLine[] WithEvent(int eventId) => Lines.Where(l => l.EventId.Id == eventId).ToArray();

    public string Dump() => string.Join(Environment.NewLine, Lines.Select(l => l.ToString()));

    private sealed class CapturingLogger(CapturingLoggerFactory owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            owner._lines.Enqueue(new LogLine(category, logLevel, eventId, formatter(state, exception), values.ToDictionary(v => v.Key, v => v.Value), exception));
        }
    }
}

/// <summary>One captured log line, with its structured values.</summary>
public sealed record LogLine(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, object?> Values, Exception? Exception)
{
    public override string ToString() => $"{Level} [{EventId.Id}] {Message}";
}
