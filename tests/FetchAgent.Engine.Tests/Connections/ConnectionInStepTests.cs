using System.Net.Security;
using System.Security.Authentication;
using System.Text;
using FetchAgent.Engine.Connections;
using FetchAgent.Engine.Model;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Connections;

/// <summary>
/// A connection carries a request only while it is in step: nothing unread past the last response (RFC 9112 §6.3,
/// last paragraph), still HTTP/1.1 (no 101), still open. Driven through the pool, against raw scripted servers.
/// </summary>
public sealed class ConnectionInStepTests
{
    private const string Fine = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nfine";

    /// <summary>Runs the requests on one pool (N per host), each after the previous finished, or all at once.</summary>
    internal static async Task<(TransactionResult[] Results, IReadOnlyList<ConnectionRecord> Connections)> RunAsync(
        IEnumerable<Uri> urls, bool together, LoadOptions? options = null, string method = "GET")
    {
        var clock = new PageClock(TimeProvider.System);
        var pool = new ConnectionPool(options ?? Sites.Options(perHost: 1), clock);
        var runner = new TransactionRunner(pool);
        var results = new List<TransactionResult>();
        if (together)
        {
            var tasks = urls.Select(u => runner.RunAsync(new ExchangeRequest(u, "*/*", KeepContent: true, method), clock.Now(), CancellationToken.None)).ToList();
            results.AddRange(await Task.WhenAll(tasks));
        }
        else
        {
            foreach (var url in urls)
                results.Add(await runner.RunAsync(new ExchangeRequest(url, "*/*", KeepContent: true, method), clock.Now(), CancellationToken.None));
        }

        await pool.DisposeAsync();
        return ([.. results], pool.Connections);
    }

    internal static string Body(TransactionResult result) => Encoding.Latin1.GetString(result.Body!.Content.Span);

    /// <summary>Connection 1 answers its first request with <paramref name="first"/>; every later connection answers "fine".</summary>
    private static ScriptedServer FirstConnectionSends(string first) =>
        new(async c =>
        {
            if (c.Index == 1)
            {
                if (await c.ReadRequestAsync() is null)
                    return;
                await c.WriteAsync(first);
            }

            while (await c.ReadRequestAsync() is not null)
                await c.WriteAsync(Fine);
        });

    [Theory]
    // A body longer than its Content-Length.
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokEXTRA")]
    // Data after a 204 and a 304, which never have a body (§6.3 rule 1).
    [InlineData("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\nhello")]
    [InlineData("HTTP/1.1 304 Not Modified\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nstolen")]
    // More responses than requests: the second must not become the next request's.
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nstolen")]
    public async Task Bytes_past_a_complete_response_retire_the_connection_before_the_next_request(string first)
    {
        await using var server = FirstConnectionSends(first);
        var (results, connections) = await RunAsync([server.Url("/a"), server.Url("/b")], together: false);

        Assert.Null(results[0].Error);
        Assert.Null(results[1].Error);
        Assert.Equal("fine", Body(results[1]));
        Assert.False(results[1].ReusedConnection);
        Assert.Equal((1, 2), (results[0].ConnectionId!.Value, results[1].ConnectionId!.Value));
        Assert.Equal(0, results[1].Retries);
        Assert.Equal(2, server.ConnectionCount);
        Assert.Equal([1, 2], server.Requests.Select(r => r.ConnectionIndex));
        Assert.Equal(CloseReason.Error, connections[0].CloseReason);
        Assert.Equal("unexpected data after a response: bytes after a complete response that no request asked for", connections[0].Error);
        Assert.Equal(1, connections[0].Requests);
    }

    [Fact]
    public async Task A_connection_handed_straight_to_a_waiter_is_checked_too()
    {
        // One per host, both requests at once: the second waits and would be handed connection 1 at the first's last byte.
        await using var server = FirstConnectionSends("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nstolen");
        var (results, connections) = await RunAsync([server.Url("/a"), server.Url("/b")], together: true);

        Assert.Equal("ok", Body(results[0]));
        Assert.Equal("fine", Body(results[1]));
        Assert.Equal((false, 0, 2), (results[1].ReusedConnection, results[1].Retries, results[1].ConnectionId!.Value));
        Assert.Equal(CloseReason.Error, connections[0].CloseReason);
        Assert.Equal(2, connections.Count);
    }

    [Fact]
    public async Task Bytes_after_a_response_with_a_pipelined_request_behind_it_are_that_requests_response()
    {
        // Not unexpected: with a request in flight the bytes past a response are the next response (RFC 9112 §9.3.2).
        await using var server = new ScriptedServer(async c =>
        {
            static string For(ReceivedRequest? r) => $"HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n{r!.Target[1..]}";
            await c.WriteAsync(For(await c.ReadRequestAsync()));
            var second = await c.ReadRequestAsync();
            var third = await c.ReadRequestAsync();
            // Both responses in one write: after the first, the second is buffered while its request is in flight.
            await c.WriteAsync(For(second) + For(third));
            await c.ReadToEndAsync(TimeSpan.FromSeconds(20));
        });
        var options = Sites.Options(ConnectionStrategy.Pipelined, perHost: 1) with { PipelineDepth = 2 };
        var (results, connections) = await RunAsync([server.Url("/a"), server.Url("/b"), server.Url("/c")], together: true, options);

        Assert.Equal(["a", "b", "c"], results.Select(Body));
        Assert.Single(connections);
        Assert.Equal(CloseReason.PageDone, connections[0].CloseReason);
        Assert.Null(connections[0].Error);
    }

    [Fact]
    public async Task An_unrequested_101_fails_the_object_and_closes_the_connection()
    {
        // RFC 9110 §7.8: no Upgrade was sent, so no switch may happen; after a 101 the bytes are not HTTP/1.1.
        await using var server = FirstConnectionSends("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\x81\x05hello");
        var (results, connections) = await RunAsync([server.Url("/a"), server.Url("/b")], together: false);

        Assert.Equal("101 Switching Protocols without an upgrade request: the connection is no longer HTTP/1.1", results[0].Error);
        Assert.Equal(101, results[0].Head!.StatusCode);
        Assert.Equal("fine", Body(results[1]));
        Assert.Equal((false, 2), (results[1].ReusedConnection, results[1].ConnectionId!.Value));
        Assert.Equal(CloseReason.Error, connections[0].CloseReason);
        Assert.Equal(results[0].Error, connections[0].Error);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task A_post_handshake_TLS_record_on_an_idle_connection_does_not_make_it_look_closed()
    {
        // After the first response the server renegotiates (TLS 1.2 HelloRequest): records that are not HTTP arrive on
        // the idle connection. The socket is readable, yet nothing was closed: the idle read-ahead lets TLS consume
        // them, and the connection is reused. (A Socket.Poll check took it for a close.)
        var renegotiated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new ScriptedServer(async c =>
        {
            var tls = new SslStream(c.Stream, leaveInnerStreamOpen: true);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = TestCertificates.Localhost,
                EnabledSslProtocols = SslProtocols.Tls12,
                // The client has no certificate to give; the renegotiation only has to happen.
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
            }, c.Stopping);
            c.Stream = tls;
            await c.ReadRequestAsync();
            await c.WriteAsync(Fine);
            try
            {
                await tls.NegotiateClientCertificateAsync(c.Stopping).WaitAsync(TimeSpan.FromSeconds(10));
                renegotiated.TrySetResult();
            }
            catch (Exception e)
            {
                renegotiated.TrySetException(e);
                return;
            }

            while (await c.ReadRequestAsync() is not null)
                await c.WriteAsync(Fine);
        });
        var clock = new PageClock(TimeProvider.System);
        var pool = new ConnectionPool(Sites.Options(perHost: 1) with { Insecure = true }, clock);
        var runner = new TransactionRunner(pool);
        var url = new Uri($"https://127.0.0.1:{server.Port}/a");

        var first = await runner.RunAsync(new ExchangeRequest(url, "*/*", KeepContent: true), clock.Now(), CancellationToken.None);
        // The renegotiation completes only if the idle client reads (and answers) it.
        await renegotiated.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var second = await runner.RunAsync(new ExchangeRequest(url, "*/*", KeepContent: true), clock.Now(), CancellationToken.None);
        await pool.DisposeAsync();

        Assert.Null(first.Error);
        Assert.Null(second.Error);
        Assert.Equal("fine", Body(second));
        Assert.True(second.ReusedConnection);
        Assert.Equal(first.ConnectionId, second.ConnectionId);
        Assert.Equal(1, server.ConnectionCount);
        Assert.Equal(2, Assert.Single(pool.Connections).Requests);
    }
}
