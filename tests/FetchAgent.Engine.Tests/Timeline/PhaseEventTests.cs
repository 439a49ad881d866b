using System.Net;
using System.Net.Sockets;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Timeline;

/// <summary>
/// Phases end at their events: a failed step is that step's time, every connection attempt is listed, and
/// the pool's bookkeeping is in no phase (issue 7, item 3).
/// </summary>
public sealed class PhaseEventTests
{
    private const double Exact = 1e-6;

    [Fact]
    public async Task A_refused_connect_is_connect_time_and_a_connection_of_its_own()
    {
        await using var closed = new ScriptedServer(_ => Task.CompletedTask);
        var port = closed.Port;
        await closed.DisposeAsync();

        var page = await new PageLoader().LoadAsync(new Uri($"http://127.0.0.1:{port}/"), Sites.Options());

        var document = Assert.Single(page.Objects);
        Assert.Equal($"connect: 127.0.0.1:{port} connection refused", document.Error);
        Assert.Equal((-1.0, -1.0), (document.Timings.Dns, document.Timings.Ssl));
        Assert.True(document.Timings.Connect >= 0, $"connect {document.Timings.Connect}");
        Assert.Equal((0.0, 0.0, 0.0), (document.Timings.Send, document.Timings.Wait, document.Timings.Receive));
        Assert.Equal(document.EndMs - document.StartMs, document.Timings.Blocked + document.Timings.Connect, Exact);

        var connection = Assert.Single(page.Connections);
        Assert.Equal(connection.Id, document.ConnectionId);
        Assert.Equal(CloseReason.Error, connection.CloseReason);
        Assert.Equal(document.Error, connection.Error);
        Assert.Equal(("127.0.0.1", port), (connection.RemoteAddress, connection.RemotePort));
        // Linux releases a refused connect's local port before anyone can ask for it: unknown, not invented.
        Assert.Equal((null, 0), (connection.LocalAddress, connection.LocalPort));
        Assert.Equal(document.Timings.Connect, connection.ConnectMs, Exact);
        Assert.Equal(document.EndMs, connection.ClosedMs!.Value, Exact);
        Assert.Equal(0, connection.Requests);
    }

    [Fact]
    public async Task A_failed_TLS_handshake_is_ssl_time_inside_connect()
    {
        // The server completes TCP, reads the ClientHello and answers with something that is not TLS.
        await using var server = new ScriptedServer(async c =>
        {
            var buffer = new byte[512];
            _ = await c.Stream.ReadAsync(buffer);
            await c.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
            c.ShutdownSend();
        });

        var page = await new PageLoader().LoadAsync(new Uri($"https://127.0.0.1:{server.Port}/"), Sites.Options());

        var document = Assert.Single(page.Objects);
        Assert.StartsWith("tls: ", document.Error);
        Assert.Equal(-1, document.Timings.Dns);
        Assert.True(document.Timings.Ssl >= 0, $"ssl {document.Timings.Ssl}");
        Assert.True(document.Timings.Connect >= document.Timings.Ssl, "ssl is inside connect");
        Assert.Equal(document.EndMs - document.StartMs, document.Timings.Blocked + document.Timings.Connect, Exact);

        var connection = Assert.Single(page.Connections);
        Assert.Equal((CloseReason.Error, server.Port), (connection.CloseReason!.Value, connection.RemotePort));
        Assert.Equal(document.Timings.Ssl, connection.SslMs, Exact);
        Assert.StartsWith("tls: ", connection.Error);
    }

    [Fact]
    public async Task A_failed_lookup_is_dns_time_and_opens_no_connection()
    {
        var asked = 0;
        // Only loopback may be reached from a test, so the failing resolver is ours: it answers as getaddrinfo
        // does for an unknown name, after yielding, like a real lookup.
        var page = await new PageLoader(resolver: async (host, _) =>
        {
            Interlocked.Increment(ref asked);
            await Task.Yield();
            throw new SocketException((int)SocketError.HostNotFound);
        }).LoadAsync(new Uri("http://no-such-host.test/"), Sites.Options());

        var document = Assert.Single(page.Objects);
        Assert.Equal("dns: no-such-host.test: no such host", document.Error);
        Assert.True(document.Timings.Dns >= 0, $"dns {document.Timings.Dns}");
        Assert.Equal((-1.0, -1.0), (document.Timings.Connect, document.Timings.Ssl));
        Assert.Equal(document.EndMs - document.StartMs, document.Timings.Blocked + document.Timings.Dns, Exact);
        Assert.Null(document.ConnectionId);
        Assert.Empty(page.Connections); // no SYN was sent
        Assert.Equal(1, asked);
    }

    [Fact]
    public async Task A_lookup_that_succeeds_is_dns_time_on_the_first_connection_only()
    {
        await using var site = Sites.WithImages(2);
        var page = await new PageLoader(resolver: (host, _) => Task.FromResult(new[] { IPAddress.Loopback }))
            .LoadAsync(site.Url("fetchagent.test", "/"), Sites.Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var first = page.Objects[0];
        Assert.True(first.Timings.Dns >= 0);
        Assert.Equal(first.Timings.Dns, page.Connections[0].DnsMs, Exact);
        Assert.All(page.Objects.Skip(1), o => Assert.Equal(-1, o.Timings.Dns));
    }

    [Fact]
    public async Task A_request_waiting_for_a_busy_connection_stops_being_blocked_at_the_previous_responses_last_byte()
    {
        // One connection: the document, then a stylesheet and two images discovered together. Each image takes 50 ms
        // to answer, so whatever the machine's load, the requests behind it wait for the connection.
        await using var site = Sites.WithImages(2, imageDelay: TimeSpan.FromMilliseconds(50));
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(perHost: 1));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var ordered = page.Objects.OrderBy(o => o.StartMs + o.Timings.Blocked).ToList();
        Assert.Single(page.Connections);
        for (var i = 1; i < ordered.Count; i++)
        {
            var previous = ordered[i - 1];
            var next = ordered[i];
            Assert.True(next.ReusedConnection);
            if (next.StartMs < previous.EndMs)
            {
                // It was waiting: queueing ended when the connection became free (the previous object's last byte,
                // which is also where that object ends: the pool's bookkeeping is in neither object's phases).
                Assert.Equal(previous.EndMs, next.StartMs + next.Timings.Blocked, 1e-3);
            }
        }

        Assert.Contains(ordered.Skip(1), o => o.StartMs < ordered[ordered.IndexOf(o) - 1].EndMs);
    }

    [Fact]
    public async Task Every_object_ends_at_its_last_byte_and_its_phases_add_up()
    {
        await using var site = Sites.WithImages(6, imageBytes: 40_000);
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        foreach (var o in page.Objects)
        {
            var t = o.Timings;
            Assert.Equal(o.EndMs - o.StartMs, o.Time, Exact);
            Assert.Equal(o.Time, t.Total, Exact);
            Assert.True(t.Blocked >= 0 && t.Send >= 0 && t.Wait >= 0 && t.Receive >= 0);
        }
    }
}
