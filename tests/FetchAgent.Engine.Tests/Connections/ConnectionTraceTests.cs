using System.Net;
using System.Net.Sockets;
using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Connections;

/// <summary>
/// Issue 10, item 5: every pool and connection decision is logged, at Debug, under <see cref="ConnectionLog.Category"/>,
/// each line with when it happened and its connection; none is noted when the log is off.
/// </summary>
public sealed class ConnectionTraceTests
{
    [Fact]
    public async Task A_retry_names_the_request_and_the_connection_it_was_lost_on()
    {
        // Every connection answers one request and drops the next (see OriginPoolTests): two retries.
        await using var site = Sites.WithImages(1, new PersistenceBehaviour { CloseOnRequestAfter = 1 });
        var log = new TraceLog();
        var page = await new PageLoader(loggerFactory: log).LoadAsync(site.Url("/"), Sites.Options(perHost: 1));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal([ConnectionLog.Category], log.Categories.Distinct());
        var decisions = log.Decisions;
        Assert.Contains("GET /style.css retried on a new connection (#1 closed before any response byte)", decisions);
        Assert.Contains("GET /img/0.png retried on a new connection (#2 closed before any response byte)", decisions);
        Assert.Contains("#1 retired: server close: closed before any response byte", decisions);
        Assert.Contains("#2 new connection for GET /style.css", decisions);
        Assert.Contains("#3 new connection for GET /img/0.png", decisions);
        Assert.Equal(3, decisions.Count(d => d.StartsWith('#') && d.Contains(" closed (", StringComparison.Ordinal)));
        Assert.Equal(log.Lines.Select(Ms).Order(), log.Lines.Select(Ms));
    }

    [Fact]
    public async Task Retiring_says_why_unread_bytes_and_HTTP_1_0()
    {
        // A body longer than its Content-Length on connection 1, then HTTP/1.0 without keep-alive on every connection.
        await using var server = new ScriptedServer(async c =>
        {
            if (await c.ReadRequestAsync() is null)
                return;
            await c.WriteAsync(c.Index == 1 ? "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA" : "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok");
            await c.ReadToEndAsync(TimeSpan.FromSeconds(5));
        });
        var log = new TraceLog();
        var clock = new PageClock(TimeProvider.System);
        await using (var pool = new ConnectionPool(Sites.Options(perHost: 1), clock, logger: log))
        {
            var runner = new TransactionRunner(pool);
            foreach (var path in new[] { "/a", "/b" })
                Assert.Null((await runner.RunAsync(new ExchangeRequest(server.Url(path), "*/*", KeepContent: false), clock.Now(), CancellationToken.None)).Error);
        }

        Assert.Equal(
        [
            "#1 new connection for GET /a",
            $"#1 connect to 127.0.0.1:{server.Port}",
            "#1 retired: error: unread bytes after a response",
            "#1 closed (error, 1 requests, at once)",
            "#2 new connection for GET /b",
            $"#2 connect to 127.0.0.1:{server.Port}",
            "#2 retired: server close: HTTP/1.0 without keep-alive",
            "#2 closed (server close, 1 requests, gracefully)",
        ],
        // Whether GET /b finds #1's slot given back already or is queued for a moment until it is, is the scheduler's
        // choice (#1 is closed in the background once /a's answer is in); either way /b gets a new connection.
        log.Decisions.Where(d => !d.Contains(" connected ", StringComparison.Ordinal) && !d.StartsWith("GET /b queued for ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_lookup_and_a_refused_connect_are_logged_with_their_connection()
    {
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)closed.LocalEndPoint!).Port; // bound, never listening: the SYN is refused
        var log = new TraceLog();
        var page = await new PageLoader(resolver: (_, _) => Task.FromResult(new[] { IPAddress.Loopback }), loggerFactory: log)
            .LoadAsync(new Uri($"http://fetchagent.test:{port}/"), Sites.Options());

        Assert.Equal(PageLoadStatus.Failed, page.Status);
        var decisions = log.Decisions;
        Assert.Equal(3, decisions.Count);
        Assert.Matches(@"^#1 dns fetchagent\.test resolved in \d+\.\d{3} ms$", decisions[0]);
        Assert.Equal($"#1 connect to 127.0.0.1:{port}", decisions[1]);
        Assert.Equal($"#1 failed to open: connect: 127.0.0.1:{port} connection refused", decisions[2]);
    }

    [Fact]
    public async Task Pipelined_requests_are_logged_behind_those_in_flight()
    {
        await using var site = Sites.WithImages(6, imageDelay: TimeSpan.FromMilliseconds(20));
        var log = new TraceLog();
        var page = await new PageLoader(loggerFactory: log).LoadAsync(site.Url("/"), Sites.Options(ConnectionStrategy.Pipelined, perHost: 1));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var pipelined = log.Decisions.Where(d => d.StartsWith("#1 pipelined GET /img/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(pipelined);
        Assert.All(pipelined, d => Assert.Matches(@" behind [1-3] in flight$", d));
        Assert.Equal(page.Objects.Count - 1, log.Decisions.Count(d => d.StartsWith("#1 pipelined ", StringComparison.Ordinal) || d.StartsWith("#1 handed on ", StringComparison.Ordinal) || d.StartsWith("#1 reused ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task With_the_log_off_the_pool_notes_nothing()
    {
        var clock = new PageClock(TimeProvider.System);
        var off = new TraceLog(enabled: false);
        await using var pool = new ConnectionPool(Sites.Options(), clock, logger: off);
        await using var none = new ConnectionPool(Sites.Options(), clock);

        Assert.Null(pool.Trace);
        Assert.Null(none.Trace);
        await using var site = Sites.WithImages(2);
        await new PageLoader(loggerFactory: off).LoadAsync(site.Url("/"), Sites.Options());
        Assert.Empty(off.Lines);
    }

    private static double Ms(string line) => double.Parse(line[..line.IndexOf(" ms ", StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
}
