using FetchAgent.Engine.Connections;

namespace FetchAgent.Cli;

/// <summary>
/// <c>load --trace</c>: the engine's pool and connection decisions (<see cref="ConnectionLog"/>) on stderr, one line
/// each, as curl -v writes its <c>*</c> lines: <c>* 12.345 ms #1 reused (idle) for GET /style.css</c>. The engine
/// writes them when the load's connections have closed, so they come before the waterfall and never inside a phase.
/// </summary>
internal sealed class TraceLines(TextWriter stderr) : ILoggerProvider, ILogger
{
    /// <summary>A logger factory with only this provider, at Debug for the engine's connection category and nothing else.</summary>
    public static ILoggerFactory Factory(TextWriter stderr) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.None)
            .AddFilter(ConnectionLog.Category, LogLevel.Debug)
            .AddProvider(new TraceLines(stderr)));

    public ILogger CreateLogger(string categoryName) => this;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        stderr.WriteLine($"* {formatter(state, exception)}");

    public void Dispose()
    {
    }
}
