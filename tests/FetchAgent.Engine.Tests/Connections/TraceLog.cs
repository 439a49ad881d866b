using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FetchAgent.Engine.Tests.Connections;

/// <summary>A logger (and a factory handing out only itself) that keeps every message it is given, in order.</summary>
internal sealed class TraceLog(bool enabled = true) : ILoggerFactory, ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>The categories loggers were asked for.</summary>
    public ConcurrentQueue<string> Categories { get; } = new();

    /// <summary>The lines without their leading "N.NNN ms ".</summary>
    public List<string> Decisions => Lines.Select(l => l[(l.IndexOf(" ms ", StringComparison.Ordinal) + 4)..]).ToList();

    public ILogger CreateLogger(string categoryName)
    {
        Categories.Enqueue(categoryName);
        return this;
    }

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => enabled;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        Assert.True(enabled, "logged while not enabled");
        Assert.Equal(LogLevel.Debug, logLevel);
        Lines.Enqueue(formatter(state, exception));
    }

    public void Dispose()
    {
    }
}
