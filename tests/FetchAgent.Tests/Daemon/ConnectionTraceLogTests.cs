using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using FetchAgent.Daemon;
using FetchAgent.Engine.Connections;
using FetchAgent.TestServers;
using FetchAgent.Tests.Cli;

namespace FetchAgent.Tests.Daemon;

/// <summary>
/// Issue 10, item 5: the daemon logs each load's pool and connection decisions at Debug under
/// <see cref="ConnectionLog.Category"/>, the same events <c>load --trace</c> prints; with that category at its default
/// level nothing is noted at all.
/// </summary>
public sealed class ConnectionTraceLogTests
{
    [Fact]
    public async Task The_daemon_logs_the_pool_decisions_at_Debug()
    {
        await using var site = TracedSite.Start();
        var captured = new CapturedLog();
        await using var daemon = await StartAsync(logging => logging.AddProvider(captured).AddFilter<CapturedLog>(ConnectionLog.Category, LogLevel.Debug));

        var response = await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = site.Url("/").AbsoluteUri, strategy = "persistent", maxConnectionsPerHost = 1 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var events = captured.Events.Where(e => e.Category == ConnectionLog.Category).ToList();
        Assert.All(events, e => Assert.Equal(LogLevel.Debug, e.Level));
        var lines = TraceCommandLineTests.TraceLines(string.Concat(events.Select(e => $"* {e.Message}\n")));
        Assert.Equal(events.Count, lines.Count);
        Assert.Equal(
        [
            "#1 new connection for GET /",
            $"#1 connect to 127.0.0.1:{site.Port}",
            "#1 connected",
            $"GET /style.css queued for {site.Origin} (1 of 1 connections taken, 1 waiting)",
            "#1 handed on to GET /style.css",
            "#1 reused (idle) for GET /a.png",
            "#1 retired: keep-alive max: the server's Keep-Alive max is spent",
            "#1 closed (keep-alive max, 3 requests, gracefully)",
        ], lines.Select(l => l.Text.StartsWith("#1 connected ", StringComparison.Ordinal) ? "#1 connected" : l.Text));
        Assert.Equal([8, 2, 3, 7, 10, 9, 13, 15], events.Select(e => e.EventId));
    }

    [Fact]
    public async Task At_the_default_level_the_daemon_notes_no_decision()
    {
        await using var site = TracedSite.Start();
        var captured = new CapturedLog();
        await using var daemon = await StartAsync(logging => logging.AddProvider(captured));

        var response = await daemon.Client.PostAsJsonAsync("/api/page-loads", new { url = site.Url("/").AbsoluteUri, strategy = "persistent", maxConnectionsPerHost = 1 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.DoesNotContain(captured.Events, e => e.Category == ConnectionLog.Category);
        // The daemon's own Information line for the load is there: the capture works.
        Assert.Contains(captured.Events, e => e.Category == typeof(PageLoadService).FullName && e.Level == LogLevel.Information);
    }

    private static Task<Api.Daemon> StartAsync(Action<ILoggingBuilder> logging) => Api.Daemon.StartAsync(logging: logging);

    private sealed record LogEvent(string Category, LogLevel Level, int EventId, string Message);

    /// <summary>A logger provider that keeps every event it is given.</summary>
    private sealed class CapturedLog : ILoggerProvider
    {
        public ConcurrentQueue<LogEvent> Events { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLog owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Events.Enqueue(new LogEvent(category, logLevel, eventId.Id, formatter(state, exception)));
        }
    }
}
