using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Http2;

/// <summary>The multiplexed strategy against real HTTP/2 servers: nghttpd (h2c with prior knowledge) and nginx (h2 over TLS).</summary>
public sealed class MultiplexedLoadTests
{
    private static Dictionary<string, byte[]> Site(int images) => Sites.ServerFiles(images, "body { background: url(/bg.png) }");

    private static LoadOptions Multiplexed(bool priorKnowledge = false) =>
        Sites.Options(ConnectionStrategy.Multiplexed, perHost: 2) with { Http2PriorKnowledge = priorKnowledge, Insecure = true };

    [Fact]
    public async Task Every_object_is_a_stream_on_one_h2c_connection_to_nghttpd()
    {
        await using var server = await NghttpdOrigin.StartAsync(Site(10));
        var page = await new PageLoader().LoadAsync(server.Url("/index.html"), Multiplexed(priorKnowledge: true));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(13, page.Objects.Count);
        Assert.All(page.Objects, o => Assert.Equal((200, "HTTP/2", (string?)null), (o.Status ?? 0, o.HttpVersion, o.Error)));
        var connection = Assert.Single(page.Connections);
        Assert.Equal("h2", connection.Protocol);
        Assert.Equal(13, connection.Requests);
        Assert.All(page.Objects, o => Assert.Equal(connection.Id, o.ConnectionId));
        Assert.Equal(100, connection.PeerSettings!["SETTINGS_MAX_CONCURRENT_STREAMS"]);
        Assert.Null(connection.GoAway);
        Assert.Equal(CloseReason.PageDone, connection.CloseReason);
        // Bodies and their sizes came through as HTTP/1.1's do.
        var image = page.Objects.Single(o => o.Url.EndsWith("/i9.png", StringComparison.Ordinal));
        Assert.Equal(3009, image.BodyBytes);
        Assert.Contains(image.ResponseHeaders, h => h is { Name: "content-length", Value: "3009" });

        // RFC 9113 §8.3.1: pseudo-header fields first, no Host or Connection; then RFC 9218's priority as Chromium sets it.
        var document = page.Objects[0];
        Assert.Equal([":method", ":scheme", ":authority", ":path", "user-agent", "accept", "accept-encoding", "priority"], document.RequestHeaders.Select(h => h.Name));
        Assert.Equal(("GET", "http", $"127.0.0.1:{server.Port}", "/index.html"),
            (document.RequestHeaders[0].Value, document.RequestHeaders[1].Value, document.RequestHeaders[2].Value, document.RequestHeaders[3].Value));
        string Priority(string suffix) => page.Objects.Single(o => o.Url.EndsWith(suffix, StringComparison.Ordinal)).RequestHeaders.Single(h => h.Name == "priority").Value;
        Assert.Equal(("u=0, i", "u=0", "i"), (Priority("/index.html"), Priority("/s.css"), Priority("/i9.png")));
    }

    [Fact]
    public async Task HTTP_1_1_requests_carry_no_priority_field()
    {
        await using var nginx = await NginxOrigin.StartAsync(Site(1));
        var page = await new PageLoader().LoadAsync(nginx.Url("/index.html"), Sites.Options(ConnectionStrategy.Persistent));

        Assert.Equal(4, page.Objects.Count);
        Assert.All(page.Objects, o => Assert.DoesNotContain(o.RequestHeaders, h => h.Name.Equals("priority", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task Requests_beyond_the_servers_stream_limit_wait_blocked_for_a_stream()
    {
        await using var server = await NghttpdOrigin.StartAsync(Site(20), "--max-concurrent-streams=4", "--window-bits=10");
        var page = await new PageLoader().LoadAsync(server.Url("/index.html"), Multiplexed(priorKnowledge: true));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(23, page.Objects.Count);
        Assert.All(page.Objects, o => Assert.Null(o.Error));
        var connection = Assert.Single(page.Connections);
        Assert.Equal(4, connection.PeerSettings!["SETTINGS_MAX_CONCURRENT_STREAMS"]);
        Assert.Equal(1023, connection.PeerSettings["SETTINGS_INITIAL_WINDOW_SIZE"]);
        Assert.Equal(4, connection.PeakConcurrentStreams);
    }

    [Fact]
    public async Task Nginx_serves_every_request_as_HTTP_2_0_on_one_connection()
    {
        await using var nginx = await NginxOrigin.StartAsync(Site(10), https: true, http2: true);
        var page = await new PageLoader().LoadAsync(nginx.Url("/index.html"), Multiplexed());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(13, page.Objects.Count);
        Assert.All(page.Objects, o => Assert.Equal((200, "HTTP/2"), (o.Status ?? 0, o.HttpVersion)));
        var connection = Assert.Single(page.Connections);
        Assert.Equal("h2", connection.Protocol);
        await FetchAgent.Engine.Tests.Connections.OriginPoolTests.WaitFor(() => nginx.AccessLog().Count == 13);
        var log = nginx.AccessLog().Select(l => l.Split(' ')).ToList();
        Assert.All(log, fields => Assert.Equal("HTTP/2.0", fields[^1]));
        Assert.Single(log.Select(fields => fields[1]).Distinct());
        Assert.Equal(connection.LocalPort, int.Parse(log[0][0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_server_that_picks_http_1_1_gets_the_persistent_strategy()
    {
        await using var nginx = await NginxOrigin.StartAsync(Site(10), "keepalive_requests 1000;", https: true, delay: TimeSpan.FromMilliseconds(30));
        var page = await new PageLoader().LoadAsync(nginx.Url("/index.html"), Multiplexed());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(13, page.Objects.Count);
        Assert.All(page.Objects, o => Assert.Equal((200, "HTTP/1.1"), (o.Status ?? 0, o.HttpVersion)));
        // Persistent with two per host: the first connection proved HTTP/1.1, then the second slot opened.
        Assert.Equal(2, page.Connections.Count);
        Assert.All(page.Connections, c => Assert.Equal("http/1.1", c.Protocol));
        Assert.All(page.Connections, c => Assert.Null(c.PeerSettings));
    }

    [Fact]
    public async Task Over_http_without_prior_knowledge_the_load_is_HTTP_1_1()
    {
        await using var nginx = await NginxOrigin.StartAsync(Site(2));
        var page = await new PageLoader().LoadAsync(nginx.Url("/index.html"), Multiplexed());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.All(page.Objects, o => Assert.Equal("HTTP/1.1", o.HttpVersion));
        Assert.All(page.Connections, c => Assert.Equal("http/1.1", c.Protocol));
    }
}
