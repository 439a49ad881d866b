using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Connections;

/// <summary>The bounded persistent pool, seen from a real server: counts, reuse, order, keep-alive rules.</summary>
public sealed class OriginPoolTests
{
    [Fact]
    public async Task Never_opens_more_than_N_connections_per_origin_and_reuses_them()
    {
        await using var site = Sites.WithImages(20, imageDelay: TimeSpan.FromMilliseconds(20));
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(perHost: 2));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(22, page.Objects.Count);
        Assert.Equal(2, site.MaxConcurrentConnections);
        Assert.Equal(2, site.ConnectionCount);
        Assert.Equal(2, page.Connections.Count);
        Assert.Equal(20, page.Metrics.ReusedRequests);
        Assert.Equal(22, page.Connections.Sum(c => c.Requests));
        Assert.All(page.Connections, c => Assert.Equal(CloseReason.PageDone, c.CloseReason));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task The_limit_is_the_option(int perHost)
    {
        await using var site = Sites.WithImages(12, imageDelay: TimeSpan.FromMilliseconds(20));
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(perHost: perHost));

        Assert.Equal(perHost, site.MaxConcurrentConnections);
        Assert.Equal(perHost, page.Connections.Count);
    }

    [Fact]
    public async Task Waiting_requests_are_served_in_FIFO_order()
    {
        await using var site = Sites.WithImages(8);
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(perHost: 1));

        var expected = new[] { "/", "/style.css" }.Concat(Enumerable.Range(0, 8).Select(i => $"/img/{i}.png"));
        Assert.Equal(expected, site.Requests.Select(r => r.Target));
        Assert.Single(page.Connections);
        // Queued objects waited for the one connection: that wait is 'blocked', and grows down the queue.
        var images = page.Objects.Where(o => o.Kind == ResourceKind.Image).ToList();
        Assert.True(images[^1].Timings.Blocked > images[0].Timings.Blocked);
    }

    [Fact]
    public async Task A_request_lost_on_a_reused_connection_is_retried_once_on_a_new_one()
    {
        // After one response the server reads the next request and closes without answering.
        await using var site = Sites.WithImages(1, new PersistenceBehaviour { CloseOnRequestAfter = 1 });
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(perHost: 1));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var css = page.Objects.Single(o => o.Url.EndsWith("/style.css", StringComparison.Ordinal));
        Assert.Equal(1, css.Retries);
        Assert.Equal(200, css.Status);
        Assert.False(css.ReusedConnection);
        // Every connection answers one request and drops the next: the stylesheet and the image are each retried
        // once, on a connection of their own (document on 1, stylesheet on 2, image on 3).
        Assert.Equal(2, page.Metrics.RetriedRequests);
        Assert.Equal(2, site.DroppedRequests);
        Assert.Equal([1, 1], page.Objects.Skip(1).Select(o => o.Retries));
        Assert.Equal(3, page.Connections.Count);
        Assert.Equal([CloseReason.ServerClose, CloseReason.ServerClose, CloseReason.PageDone], page.Connections.Select(c => c.CloseReason!.Value));
        // The retried object names the connection that carried it (the server answered it there), not the dead one.
        var answeredOn = site.Requests.Where(r => r.Target == "/style.css").Last().RemotePort;
        Assert.Equal(answeredOn, page.Connections.Single(c => c.Id == css.ConnectionId).LocalPort);
        Assert.Equal(2, css.ConnectionId);
        Assert.Equal(css.Time, css.EndMs - css.StartMs, tolerance: 1e-6); // a tolerance: rounding both to 3 places can split them
    }

    [Fact]
    public async Task Keep_Alive_max_is_honoured_and_recorded()
    {
        // Apache-like: "Keep-Alive: timeout=5, max=2", counting down; the third response closes.
        await using var site = Sites.WithImages(10, new PersistenceBehaviour { KeepAliveTimeoutSeconds = 5, KeepAliveMax = 2 });
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(perHost: 1));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(0, page.Metrics.RetriedRequests);
        Assert.Equal(0, site.DroppedRequests);
        Assert.All(page.Connections, c => Assert.InRange(c.Requests, 1, 3));
        Assert.Equal(4, page.Connections.Count); // 12 objects, 3 per connection
        Assert.All(site.Requests.GroupBy(r => r.ConnectionIndex), g => Assert.Equal("close", g.Last().Header("Connection")));
        Assert.Contains(page.Connections, c => c.CloseReason == CloseReason.KeepAliveMax);
        Assert.Contains(page.Connections, c => c.KeepAlive is { TimeoutS: 5 });
    }

    [Fact]
    public async Task An_HTTP_1_0_server_without_keep_alive_gets_a_connection_per_object()
    {
        await using var site = Sites.WithImages(4, new PersistenceBehaviour { Http10 = true });
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(6, page.Connections.Count);
        Assert.Equal(0, page.Metrics.ReusedRequests);
        Assert.All(page.Objects, o => Assert.Equal("HTTP/1.0", o.HttpVersion));
        Assert.All(page.Connections, c => Assert.Equal(CloseReason.ServerClose, c.CloseReason));
    }

    [Fact]
    public async Task An_HTTP_1_0_server_that_echoes_keep_alive_is_reused()
    {
        await using var site = Sites.WithImages(4, new PersistenceBehaviour { Http10 = true, Http10EchoesKeepAlive = true });
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(perHost: 1));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Single(page.Connections);
        Assert.Equal(5, page.Metrics.ReusedRequests);
    }

    [Fact]
    public async Task Connection_close_from_the_server_mid_page_moves_the_rest_to_new_connections()
    {
        await using var site = Sites.WithImages(7, new PersistenceBehaviour { MaxRequestsPerConnection = 3 });
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(perHost: 1));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(3, page.Connections.Count); // 9 objects, 3 each
        Assert.Equal(0, page.Metrics.RetriedRequests);
        Assert.All(page.Connections, c => Assert.Equal(CloseReason.ServerClose, c.CloseReason));
        Assert.All(site.Requests.GroupBy(r => r.ConnectionIndex), g => Assert.Equal(3, g.Count()));
    }

    [Fact]
    public async Task Each_objects_local_port_is_the_peer_port_the_server_saw()
    {
        await using var site = Sites.WithImages(10, imageDelay: TimeSpan.FromMilliseconds(5));
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        var connections = page.Connections.ToDictionary(c => c.Id);
        foreach (var request in site.Requests)
        {
            var record = page.Objects.Single(o => new Uri(o.Url).AbsolutePath == request.Target);
            var connection = connections[record.ConnectionId!.Value];
            Assert.Equal(request.RemotePort, connection.LocalPort);
            Assert.Equal(site.Port, connection.RemotePort);
            Assert.Equal("127.0.0.1", connection.RemoteAddress);
        }
    }

    [Fact]
    public async Task Connections_still_open_at_the_end_are_closed_gracefully()
    {
        await using var site = Sites.WithImages(4);
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        Assert.All(page.Connections, c => Assert.Equal(CloseReason.PageDone, c.CloseReason));
        Assert.All(page.Connections, c => Assert.NotNull(c.ClosedMs));
        // The server read our FIN (a half-close), not a reset, on every connection.
        await WaitFor(() => site.GracefulCloses == page.Connections.Count);
    }

    internal static async Task WaitFor(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
            await Task.Delay(10);
        Assert.True(condition());
    }
}
