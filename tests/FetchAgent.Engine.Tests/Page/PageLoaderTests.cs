using FetchAgent.Engine.Model;
using FetchAgent.Engine.Navigation;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>Whole page loads from a real loopback origin: redirects, discovery through CSS and frames, each URL once.</summary>
public sealed class PageLoaderTests
{
    [Fact]
    public async Task Every_redirect_hop_is_an_object_and_the_final_document_is_parsed()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Redirect(301, "/a"))
            .Add("/a", SiteResource.Redirect(302, "home?x=1"))
            .Add("/home?x=1", SiteResource.Html("<img src=/old.png>"))
            .Add("/old.png", SiteResource.Redirect(307, "/new.png"))
            .Add("/new.png", SiteResource.Image(500));
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(site.Url("/home?x=1").AbsoluteUri, page.FinalUrl);
        Assert.Equal([301, 302, 200, 307, 200], page.Objects.Select(o => o.Status!.Value));
        Assert.Equal([Initiator.Navigation, Initiator.Redirect, Initiator.Redirect, Initiator.Parser, Initiator.Redirect], page.Objects.Select(o => o.Initiator));
        Assert.Equal([null, 1, 2, 3, 4], page.Objects.Select(o => o.ParentId));
        Assert.Equal(ResourceKind.Image, page.Objects[4].Kind);
        Assert.Equal(site.Url("/a").AbsoluteUri, page.Objects[0].RedirectUrl);
        // TTFB is the final document's first byte, after both hops.
        var final = page.Objects[2];
        Assert.Equal(final.EndMs - final.Timings.Receive, page.Metrics.TtfbMs, 6);
        Assert.True(page.Metrics.TtfbMs > page.Objects[1].EndMs);
    }

    [Fact]
    public async Task More_than_ten_redirects_fail_the_document()
    {
        await using var site = new StaticOrigin();
        for (var i = 0; i < 12; i++)
            site.Add($"/r{i}", SiteResource.Redirect(302, $"/r{i + 1}"));
        var page = await new PageLoader().LoadAsync(site.Url("/r0"), Sites.Options());

        Assert.Equal(PageLoadStatus.Failed, page.Status);
        Assert.Equal("document: redirect: more than 10 redirects", page.Error);
        Assert.Equal(11, page.Objects.Count);
    }

    [Fact]
    public async Task Stylesheets_are_read_for_imports_and_urls_but_comments_and_strings_do_not_count()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<link rel=stylesheet href=/css/a.css><h1>Title</h1><p style=\"background:url('/inline.png')\">"))
            .Add("/css/a.css", SiteResource.Css("@import 'b.css'; /* url(/no1.png) */ p::before { content: \"url(/no2.png)\" } h1 { background: url(bg.png); font-family: f }"))
            .Add("/css/b.css", SiteResource.Css("@font-face { font-family: f; src: url(/f.woff2) format('woff2') }"))
            .Add("/css/bg.png", SiteResource.Image(100))
            .Add("/inline.png", SiteResource.Image(100))
            .Add("/f.woff2", SiteResource.Image(100));
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.DoesNotContain(site.Requests, r => r.Target.StartsWith("/no", StringComparison.Ordinal));
        var a = page.Objects.Single(o => o.Url.EndsWith("/css/a.css", StringComparison.Ordinal));
        var b = page.Objects.Single(o => o.Url.EndsWith("/css/b.css", StringComparison.Ordinal));
        var bg = page.Objects.Single(o => o.Url.EndsWith("/css/bg.png", StringComparison.Ordinal));
        var font = page.Objects.Single(o => o.Url.EndsWith("/f.woff2", StringComparison.Ordinal));
        Assert.Equal((Initiator.Css, a.Id, ResourceKind.Stylesheet, true), (b.Initiator, b.ParentId!.Value, b.Kind, b.RenderBlocking));
        Assert.Equal((Initiator.Css, a.Id, ResourceKind.Image), (bg.Initiator, bg.ParentId!.Value, bg.Kind));
        Assert.Equal((Initiator.Css, b.Id, ResourceKind.Font), (font.Initiator, font.ParentId!.Value, font.Kind));
        Assert.Contains(page.Objects, o => o.Url.EndsWith("/inline.png", StringComparison.Ordinal) && o.Initiator == Initiator.Parser);
        // Start render waits for the imported sheet too.
        Assert.True(page.Metrics.StartRenderMs >= b.EndMs);
    }

    [Fact]
    public async Task Frames_are_followed_two_deep_and_their_resources_fetched()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<iframe src=/f1.html></iframe>"))
            .Add("/f1.html", SiteResource.Html("<img src=/in1.png><iframe src=/f2.html></iframe>"))
            .Add("/f2.html", SiteResource.Html("<img src=/in2.png><iframe src=/f3.html></iframe>"))
            .Add("/f3.html", SiteResource.Html("<img src=/in3.png>"))
            .Add("/in1.png", SiteResource.Image(10))
            .Add("/in2.png", SiteResource.Image(10))
            .Add("/in3.png", SiteResource.Image(10));
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        var paths = page.Objects.Select(o => new Uri(o.Url).AbsolutePath).ToList();
        Assert.Equal(["/", "/f1.html", "/f2.html", "/in1.png", "/in2.png"], paths.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(site.Requests, r => r.Target == "/f3.html");
        Assert.All(page.Objects.Where(o => o.Kind == ResourceKind.Iframe), o => Assert.False(o.RenderBlocking));
    }

    [Fact]
    public async Task Each_URL_is_fetched_once()
    {
        await using var site = new StaticOrigin()
            .Add("/s.css", SiteResource.Css("a { background: url(/x.png) }"))
            .Add("/x.png", SiteResource.Image(10));
        site.Add("/", SiteResource.Html($"<link rel=stylesheet href=/s.css><img src=/x.png><img src=/x.png#frag><img src='{site.Origin}/x.png'>"));
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        Assert.Single(site.Requests, r => r.Target == "/x.png");
        Assert.Equal(3, page.Objects.Count);
    }

    [Fact]
    public async Task Discovery_stops_at_max_objects()
    {
        await using var site = Sites.WithImages(20);
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options() with { MaxObjects = 5 });

        Assert.Equal(5, page.Objects.Count);
        Assert.Equal(17, page.ObjectsNotFetched);
        Assert.Equal(PageLoadStatus.Completed, page.Status);
    }

    [Fact]
    public async Task The_first_object_on_a_host_carries_the_DNS_lookup_and_later_ones_do_not()
    {
        await using var site = Sites.WithImages(3);
        var page = await new PageLoader().LoadAsync(site.Url("localhost", "/"), Sites.Options(perHost: 1));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.True(page.Objects[0].Timings.Dns >= 0);
        Assert.All(page.Objects.Skip(1), o => Assert.Equal(-1, o.Timings.Dns));
        Assert.True(page.Connections[0].DnsMs >= 0);
        Assert.Equal("localhost", page.Connections[0].Host);
        Assert.Equal("127.0.0.1", page.Connections[0].RemoteAddress);
    }

    [Fact]
    public async Task Timings_add_up_and_reused_connections_have_no_setup_phases()
    {
        await using var site = Sites.WithImages(6);
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        Assert.All(page.Objects, o =>
        {
            Assert.Equal(o.EndMs - o.StartMs, o.Time, 6);
            Assert.Equal(o.Timings.Total, o.Time, 9);
            Assert.True(o.Timings.Blocked >= 0 && o.Timings.Send >= 0 && o.Timings.Wait >= 0 && o.Timings.Receive >= 0);
            Assert.Equal(-1, o.Timings.Ssl);
            if (o.ReusedConnection)
                Assert.Equal((-1d, -1d), (o.Timings.Dns, o.Timings.Connect));
            else
                Assert.True(o.Timings.Connect >= 0);
        });
        Assert.Equal(page.Objects.Max(o => o.EndMs), page.Metrics.ActualMs);
    }
}
