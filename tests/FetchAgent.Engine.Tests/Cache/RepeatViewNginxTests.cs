using System.Text;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Cache;

/// <summary>
/// First view and repeat view against a real nginx whose locations answer with different caching headers; every
/// request the repeat view makes (or does not make) is counted in nginx's access log.
/// </summary>
public sealed class RepeatViewNginxTests
{
    private const string Locations = """
        location = /index.html { add_header Cache-Control no-cache; }
        location /fresh/ { expires 1h; }
        location /validators/ { add_header Cache-Control max-age=0; }
        location /nocache/ { add_header Cache-Control no-cache; }
        location /nostore/ { add_header Cache-Control no-store; }
        location /vary/ { expires 1h; gzip on; gzip_vary on; gzip_min_length 0; gzip_types text/css; }
        """;

    private static Dictionary<string, byte[]> Site() => new()
    {
        ["index.html"] = Encoding.UTF8.GetBytes(
            "<!doctype html><link rel=stylesheet href=/fresh/a.css><link rel=stylesheet href=/vary/f.css>" +
            "<img src=/validators/c.png><img src=/nocache/d.png><img src=/nostore/e.png>"),
        // b.png is referenced only from a.css: found in the repeat view only if the cached stylesheet is still read.
        ["fresh/a.css"] = Encoding.UTF8.GetBytes("body { background: url(/fresh/b.png) }"),
        ["fresh/b.png"] = new byte[500],
        ["validators/c.png"] = new byte[600],
        ["nocache/d.png"] = new byte[700],
        ["nostore/e.png"] = new byte[800],
        ["vary/f.css"] = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("p { margin: 0 } ", 100))),
    };

    [Fact]
    public async Task The_repeat_view_uses_fresh_objects_revalidates_stale_and_no_cache_ones_and_fetches_no_store_again()
    {
        await using var nginx = await NginxOrigin.StartAsync(Site(), serverConfig: Locations);
        var page = await new PageLoader().LoadAsync(nginx.Url("/index.html"), Sites.Options(perHost: 2) with { RepeatView = true });

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var first = page.Objects.Select(o => (new Uri(o.Url).AbsolutePath, o.Status, o.FromCache, o.Revalidated)).OrderBy(o => o.AbsolutePath).ToList();
        Assert.Equal(
            [("/fresh/a.css", 200, false, false), ("/fresh/b.png", 200, false, false), ("/index.html", 200, false, false), ("/nocache/d.png", 200, false, false),
             ("/nostore/e.png", 200, false, false), ("/validators/c.png", 200, false, false), ("/vary/f.css", 200, false, false)],
            first);

        var repeat = page.RepeatView!;
        Assert.Null(repeat.RepeatView);
        Assert.Equal(PageLoadStatus.Completed, repeat.Status);
        var second = repeat.Objects.Select(o => (new Uri(o.Url).AbsolutePath, o.Status, o.FromCache, o.Revalidated)).OrderBy(o => o.AbsolutePath).ToList();
        Assert.Equal(
            [("/fresh/a.css", 200, true, false), ("/fresh/b.png", 200, true, false), ("/index.html", 304, false, true), ("/nocache/d.png", 304, false, true),
             ("/nostore/e.png", 200, false, false), ("/validators/c.png", 304, false, true), ("/vary/f.css", 200, true, false)],
            second);

        // Fresh objects: no connection, nothing on the wire, no request sent, their time all blocked.
        foreach (var hit in repeat.Objects.Where(o => o.FromCache))
        {
            Assert.Null(hit.ConnectionId);
            Assert.Equal((0, 0), (hit.HeaderBytes, hit.BodyBytes));
            Assert.Empty(hit.RequestHeaders);
            Assert.Equal((-1, -1, -1, 0, 0, 0), (hit.Timings.Dns, hit.Timings.Connect, hit.Timings.Ssl, hit.Timings.Send, hit.Timings.Wait, hit.Timings.Receive));
            Assert.Equal(hit.EndMs - hit.StartMs, hit.Timings.Blocked, 9);
        }

        // Revalidated objects went out conditional and came back 304 with no body; the stored type stands.
        foreach (var revalidated in repeat.Objects.Where(o => o.Revalidated))
        {
            Assert.Contains(revalidated.RequestHeaders, h => h.Name == "If-None-Match");
            Assert.Contains(revalidated.RequestHeaders, h => h.Name == "If-Modified-Since");
            Assert.Equal(0, revalidated.BodyBytes);
            Assert.NotNull(revalidated.ConnectionId);
        }

        Assert.Equal("text/html", repeat.Objects.Single(o => o.Url.EndsWith("/index.html", StringComparison.Ordinal)).ContentType);
        Assert.Equal("Accept-Encoding", page.Objects.Single(o => o.Url.EndsWith("/vary/f.css", StringComparison.Ordinal)).ResponseHeaders.Single(h => h.Name == "Vary").Value);

        // nginx saw 7 requests in the first view, and exactly 4 in the repeat: three 304s and the no-store image again.
        var log = nginx.AccessLog().Select(l => l[(l.IndexOf('"') + 1)..]).ToList();
        Assert.Equal(11, log.Count);
        Assert.Equal(
            ["GET /index.html HTTP/1.1\" 304", "GET /nocache/d.png HTTP/1.1\" 304", "GET /nostore/e.png HTTP/1.1\" 200", "GET /validators/c.png HTTP/1.1\" 304"],
            log.Skip(7).Order(StringComparer.Ordinal));
        // HAR 1.2 cache: each object's entry before its request and after its response, in both views.
        ObjectCacheRecord CacheOf(PageLoadDocument view, string path) => view.Objects.Single(o => new Uri(o.Url).AbsolutePath == path).Cache!;
        string ETagOf(string path) => page.Objects.Single(o => new Uri(o.Url).AbsolutePath == path).ResponseHeaders.Single(h => h.Name == "ETag").Value;
        Assert.All(page.Objects.Concat(repeat.Objects), o => Assert.NotNull(o.Cache));
        var storedFresh = CacheOf(page, "/fresh/a.css");
        Assert.Null(storedFresh.BeforeRequest);
        var stored = storedFresh.AfterRequest!;
        Assert.Equal((ETagOf("/fresh/a.css"), 0), (stored.ETag, stored.HitCount));
        // expires 1h: fresh for an hour from arrival, less the age it came with (under a second: Date has whole seconds).
        Assert.InRange(stored.Expires - stored.LastAccess, TimeSpan.FromSeconds(3599), TimeSpan.FromSeconds(3600));
        Assert.Equal(new ObjectCacheRecord(null, null), CacheOf(page, "/nostore/e.png"));
        Assert.Equal(new ObjectCacheRecord(null, null), CacheOf(repeat, "/nostore/e.png"));

        var freshHit = CacheOf(repeat, "/fresh/a.css");
        Assert.Equal(stored, freshHit.BeforeRequest);
        Assert.Equal((stored.ETag, 1, stored.Expires), (freshHit.AfterRequest!.ETag, freshHit.AfterRequest.HitCount, freshHit.AfterRequest.Expires));
        Assert.True(freshHit.AfterRequest.LastAccess > stored.LastAccess);

        var validated = CacheOf(repeat, "/validators/c.png");
        Assert.Equal(CacheOf(page, "/validators/c.png").AfterRequest, validated.BeforeRequest);
        Assert.Equal((ETagOf("/validators/c.png"), 0, 1), (validated.BeforeRequest!.ETag, validated.BeforeRequest.HitCount, validated.AfterRequest!.HitCount));
        // max-age=0: stale on arrival, so it expires no later than it was last used (the 304 that freshened it).
        Assert.True(validated.AfterRequest.Expires <= validated.AfterRequest.LastAccess);
        Assert.True(validated.AfterRequest.LastAccess > validated.BeforeRequest.LastAccess);

        // Connections are new for the repeat view: its own list, every one opened in it.
        Assert.All(page.Connections, c => Assert.False(c.KeptForRepeatView));
        Assert.All(repeat.Connections, c => Assert.Null(c.KeptFrom));
        Assert.Equal(repeat.Connections.Count, repeat.Objects.Where(o => !o.FromCache).Select(o => o.ConnectionId).Distinct().Count());
    }

    [Fact]
    public async Task With_keep_connections_the_repeat_view_reuses_the_first_views_idle_connections_and_opens_none()
    {
        await using var nginx = await NginxOrigin.StartAsync(Site(), serverConfig: Locations);
        var page = await new PageLoader().LoadAsync(nginx.Url("/index.html"), Sites.Options(perHost: 2) with { RepeatView = true, KeepConnections = true });

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var repeat = page.RepeatView!;
        Assert.Equal(PageLoadStatus.Completed, repeat.Status);
        // Both of the first view's connections were idle at its end: kept open (no close in the first view) ...
        Assert.Equal(2, page.Connections.Count);
        Assert.All(page.Connections, c => Assert.Equal((true, (double?)null, (CloseReason?)null), (c.KeptForRepeatView, c.ClosedMs, c.CloseReason)));
        // ... and continued in the repeat view with the same 4-tuples, no setup of their own, closed there.
        Assert.Equal(
            page.Connections.Select(c => (c.Id, c.LocalPort, c.RemotePort)).Order(),
            repeat.Connections.Select(c => (c.KeptFrom!.Value, c.LocalPort, c.RemotePort)).Order());
        Assert.All(repeat.Connections, c => Assert.Equal((-1.0, -1.0, -1.0, false, CloseReason.PageDone), (c.DnsMs, c.ConnectMs, c.SslMs, c.KeptForRepeatView, c.CloseReason!.Value)));
        // Every request the repeat view sent went on a reused connection, with no connect phase.
        var sent = repeat.Objects.Where(o => !o.FromCache).ToList();
        Assert.Equal(4, sent.Count);
        Assert.All(sent, o => Assert.Equal((true, -1.0, -1.0), (o.ReusedConnection, o.Timings.Dns, o.Timings.Connect)));
        Assert.Equal(4, repeat.Connections.Sum(c => c.Requests));

        // nginx agrees: the repeat view's four requests came on connections the first view had opened.
        var log = nginx.AccessLog().Select(l => l.Split(' ')).Select(f => (Port: int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture), Connection: f[1])).ToList();
        Assert.Equal(11, log.Count);
        var firstViewConnections = log.Take(7).Select(l => l.Connection).ToHashSet();
        Assert.Equal(2, firstViewConnections.Count);
        Assert.All(log.Skip(7), l => Assert.Contains(l.Connection, firstViewConnections));
        Assert.Equal(page.Connections.Select(c => c.LocalPort).Order(), log.Select(l => l.Port).Distinct().Order());
    }

    [Fact]
    public async Task With_keep_connections_a_connection_the_server_has_closed_is_not_kept_and_the_repeat_view_opens_its_own()
    {
        // nginx closes every connection after one request: nothing is idle and open at the first view's end.
        await using var nginx = await NginxOrigin.StartAsync(Site(), extraHttpConfig: "keepalive_requests 1;", serverConfig: Locations);
        var page = await new PageLoader().LoadAsync(nginx.Url("/index.html"), Sites.Options(perHost: 2) with { RepeatView = true, KeepConnections = true });

        Assert.Equal(PageLoadStatus.Completed, page.RepeatView!.Status);
        Assert.Equal(7, page.Connections.Count);
        Assert.All(page.Connections, c => Assert.Equal((false, CloseReason.ServerClose), (c.KeptForRepeatView, c.CloseReason!.Value)));
        Assert.Equal(4, page.RepeatView.Connections.Count);
        Assert.All(page.RepeatView.Connections, c => Assert.Equal((int?)null, c.KeptFrom));
    }
}
