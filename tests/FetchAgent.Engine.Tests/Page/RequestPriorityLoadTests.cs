using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>
/// Issue 16: the priority each request of a real load goes out at, as Chromium gives it (the corpus test holds the
/// same rules against Chromium's own <c>initialPriority</c> on real pages), and that it orders the pool's queue.
/// </summary>
public sealed class RequestPriorityLoadTests
{
    private static string PriorityOf(PageLoadDocument page, string path) => page.Objects.Single(o => new Uri(o.Url).AbsolutePath == path).Priority!;

    /// <summary>
    /// One page with a request of every rule. Fails a "late" rule keyed on the body instead of an image (body.js
    /// would be Medium), one that counts the icon as an image (after-icon.js would be Medium), one that leaves out
    /// late stylesheets (VeryHigh) or lets a late print sheet's media win (VeryLow; in Blink the late rule comes
    /// first), one that lowers async scripts further or raises them, and an icon, a print sheet or a boosted image at
    /// its kind's plain priority.
    /// </summary>
    [Fact]
    public async Task Every_request_goes_out_at_Chromiums_priority_for_it()
    {
        var html = """
            <!doctype html><html><head>
            <link rel=stylesheet href=/s.css><link rel=stylesheet href=/print.css media=print><link rel=icon href=/icon.png>
            <script src=/head.js></script><script src=/after-icon.js></script><script async src=/async.js></script>
            </head><body><p>text</p><script src=/body.js></script>
            <img src=/big.png><img src=/small.png width=10 height=10>
            <script src=/bottom.js></script><script defer src=/defer.js></script>
            <link rel=stylesheet href=/late.css><link rel=stylesheet href=/late-print.css media=print>
            </body></html>
            """;
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html(html))
            .Add("/s.css", SiteResource.Css("@font-face { font-family: F; src: url(/f.woff2) format('woff2') } p { font-family: F }"))
            .Add("/print.css", SiteResource.Css("p { color: black }"))
            .Add("/late.css", SiteResource.Css("p { color: black }"))
            .Add("/late-print.css", SiteResource.Css("p { color: black }"))
            .Add("/f.woff2", new SiteResource("font/woff2", new byte[100]))
            .Add("/icon.png", SiteResource.Image(100))
            .Add("/big.png", SiteResource.Image(100))
            .Add("/small.png", SiteResource.Image(100));
        foreach (var script in new[] { "head", "after-icon", "async", "body", "bottom", "defer" })
            site.Add($"/{script}.js", SiteResource.Script("var x;"));

        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(perHost: 6));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var expected = new Dictionary<string, string?>
        {
            ["/"] = "VeryHigh",
            ["/s.css"] = "VeryHigh",
            ["/f.woff2"] = "VeryHigh",
            ["/print.css"] = "VeryLow",
            ["/head.js"] = "High",
            ["/after-icon.js"] = "High",
            ["/body.js"] = "High",
            ["/bottom.js"] = "Medium",
            ["/late.css"] = "Medium",
            ["/late-print.css"] = "Medium",
            ["/async.js"] = "Low",
            ["/defer.js"] = "Low",
            ["/big.png"] = "Medium",
            ["/small.png"] = "Low",
            ["/icon.png"] = "High",
        };
        Assert.Equal(expected, page.Objects.ToDictionary(o => new Uri(o.Url).AbsolutePath, o => o.Priority));
    }

    /// <summary>
    /// Each frame's fetcher keeps its own "an image came" state: a frame's first script is High though the page named
    /// an image before the frame. Fails a page-wide flag.
    /// </summary>
    [Fact]
    public async Task A_frame_counts_its_own_images()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<!doctype html><body><img src=/a.png><iframe src=/frame.html></iframe><script src=/page.js></script>"))
            .Add("/frame.html", SiteResource.Html("<!doctype html><body><script src=/frame.js></script><img src=/b.png><script src=/frame-late.js></script>"))
            .Add("/a.png", SiteResource.Image(100))
            .Add("/b.png", SiteResource.Image(100))
            .Add("/page.js", SiteResource.Script("var p;"))
            .Add("/frame.js", SiteResource.Script("var f;"))
            .Add("/frame-late.js", SiteResource.Script("var l;"));

        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(perHost: 6));

        Assert.Equal(("Medium", "High", "Medium"), (PriorityOf(page, "/page.js"), PriorityOf(page, "/frame.js"), PriorityOf(page, "/frame-late.js")));
    }

    /// <summary>
    /// The rank orders the pool's queue: with one connection, a print sheet (VeryLow) named before the images waits
    /// behind them, and a late script (Medium) goes before the small images (Low) named before it. Fails a queue that
    /// keeps document order among sub-resources, or ranks by kind alone.
    /// </summary>
    [Fact]
    public async Task The_queue_takes_higher_priorities_first()
    {
        var html = "<!doctype html><head><link rel=stylesheet href=/print.css media=print></head><body>"
            + "<img src=/i0.png width=1 height=1><img src=/i1.png width=1 height=1><img src=/i2.png width=1 height=1><script src=/late.js></script>";
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html(html))
            .Add("/print.css", SiteResource.Css("p { color: black }"))
            .Add("/late.js", SiteResource.Script("var l;"));
        for (var i = 0; i < 3; i++)
            site.Add($"/i{i}.png", SiteResource.Image(100));

        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options(perHost: 1) with { NoTightMode = true });

        Assert.Equal(["/", "/late.js", "/i0.png", "/i1.png", "/i2.png", "/print.css"], site.Requests.OrderBy(r => r.ReceivedAt).Select(r => r.Target));
        Assert.Equal("VeryLow", PriorityOf(page, "/print.css"));
    }
}
