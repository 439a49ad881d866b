using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Connections;

/// <summary>The same rules against a real nginx: its Keep-Alive header, its request limit, its gzip, its access log.</summary>
public sealed class NginxTests
{
    // Repetitive CSS so gzip shrinks it a lot: bodyBytes must be the wire size, discovery must see the decoded text.
    private static Dictionary<string, byte[]> Site(int images) => Sites.ServerFiles(images, string.Concat(Enumerable.Repeat("p { margin: 0 } ", 200)) + "body { background: url(/bg.png) }");

    [Fact]
    public async Task Nginx_keep_alive_limits_are_honoured_and_the_4_tuple_matches_its_log()
    {
        await using var nginx = await NginxOrigin.StartAsync(Site(10), """
            keepalive_timeout 30 25;
            keepalive_requests 3;
            gzip on; gzip_types text/css; gzip_min_length 20;
            """);
        var page = await new PageLoader().LoadAsync(nginx.Url("/index.html"), Sites.Options(perHost: 2));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(13, page.Objects.Count);
        Assert.Equal(0, page.Metrics.RetriedRequests);
        Assert.All(page.Connections, c => Assert.InRange(c.Requests, 1, 3));
        Assert.Equal(5, page.Connections.Count); // ceil(13 / 3)
        Assert.Contains(page.Connections, c => c.CloseReason == CloseReason.ServerClose);
        Assert.All(page.Connections, c => Assert.Equal(new KeepAliveRecord(25, null), c.KeepAlive));

        var css = page.Objects.Single(o => o.Url.EndsWith("/s.css", StringComparison.Ordinal));
        Assert.Contains(css.ResponseHeaders, h => h is { Name: "Content-Encoding", Value: "gzip" });
        Assert.InRange(css.BodyBytes, 1, 1000); // ~3.2 KB of CSS on the wire as far less
        Assert.Contains(page.Objects, o => o.Url.EndsWith("/bg.png", StringComparison.Ordinal) && o.Status == 200);

        // nginx logs "$remote_port $connection $connection_requests request status": our local ports, exactly.
        await OriginPoolTests.WaitFor(() => nginx.AccessLog().Count == 13);
        var localPorts = page.Connections.Select(c => c.LocalPort).Order().ToList();
        var loggedPorts = nginx.AccessLog().Select(l => int.Parse(l.Split(' ')[0])).Distinct().Order().ToList();
        Assert.Equal(localPorts, loggedPorts);
        foreach (var line in nginx.AccessLog())
        {
            var fields = line.Split(' ');
            var path = fields[4];
            var record = page.Objects.Single(o => new Uri(o.Url).AbsolutePath == path);
            Assert.Equal(int.Parse(fields[0]), page.Connections.Single(c => c.Id == record.ConnectionId).LocalPort);
        }
    }

    [Theory]
    [InlineData(ConnectionStrategy.Serial, 12)]
    [InlineData(ConnectionStrategy.Parallel, 12)]
    // nginx holds every response 30 ms (echo_sleep), so the page always has more to ask than one connection carries
    // at once: both connections open, and no more (without the delay nginx on loopback can answer before the next
    // request is even issued, and one connection may do).
    [InlineData(ConnectionStrategy.Persistent, 2)]
    [InlineData(ConnectionStrategy.Pipelined, 2)]
    public async Task Each_strategy_works_against_nginx(ConnectionStrategy strategy, int connections)
    {
        await using var nginx = await NginxOrigin.StartAsync(Site(9), "keepalive_requests 1000;", delay: TimeSpan.FromMilliseconds(30));
        var page = await new PageLoader().LoadAsync(nginx.Url("/index.html"), Sites.Options(strategy, perHost: 2));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(12, page.Objects.Count);
        Assert.Equal(connections, page.Connections.Count);
        Assert.Equal(0, page.Metrics.RetriedRequests);
        Assert.All(page.Objects, o => Assert.Equal(200, o.Status));
        await OriginPoolTests.WaitFor(() => nginx.AccessLog().Count == 12);
        Assert.Equal(page.Connections.Select(c => c.LocalPort).Order(), nginx.AccessLog().Select(l => int.Parse(l.Split(' ')[0])).Distinct().Order());
    }
}
