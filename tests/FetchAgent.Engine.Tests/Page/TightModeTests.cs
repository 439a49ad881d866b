using System.Text;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>
/// Issue 16: Blink's tight mode. Until the parser would insert the body, a request below High priority starts only
/// while fewer than 2 of the page's requests are in flight; held requests go when one ends or the body comes. Every
/// check reads the server's own log (when a request reached it), beside FetchAgent's record.
/// </summary>
public sealed class TightModeTests
{
    private static readonly TimeSpan ScriptDelay = TimeSpan.FromMilliseconds(300);

    /// <summary>The server's clock can read a hair early against a delay it served; never more than this.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMilliseconds(5);

    private static LoadOptions Options(bool tight = true) => Sites.Options(perHost: 6) with { NoTightMode = !tight };

    private static ReceivedRequest Request(StaticOrigin site, string target) => site.Requests.Single(r => r.Target == target);

    private static List<ReceivedRequest> Images(StaticOrigin site) => [.. site.Requests.Where(r => r.Target.EndsWith(".png", StringComparison.Ordinal)).OrderBy(r => r.ReceivedAt)];

    private static string Log(StaticOrigin site)
    {
        var first = site.Requests.Min(r => r.ReceivedAt);
        return string.Join(' ', site.Requests.OrderBy(r => r.ReceivedAt).Select(r => $"{r.Target}@{(r.ReceivedAt - first).TotalMilliseconds:0}"));
    }

    /// <summary>Images small in their markup (50 × 50): Low, as Chromium requests them (none of them boosted to Medium).</summary>
    private static string ImagesMarkup(int count, string prefix = "/i", string size = " width=50 height=50") =>
        string.Concat(Enumerable.Range(0, count).Select(i => $"<img src={prefix}{i}.png{size}>"));

    private static StaticOrigin WithImages(StaticOrigin site, int count, TimeSpan delay = default, string prefix = "/i")
    {
        for (var i = 0; i < count; i++)
            site.Add($"{prefix}{i}.png", SiteResource.Image(500) with { Delay = delay });
        return site;
    }

    /// <summary>
    /// A render-blocking sheet and two parser-blocking scripts in the head (the server holds each script 300 ms), six
    /// images in the body: two requests are in flight until the scripts end, and the body waits for them, so no image
    /// reaches the server before the first script's response ends; then all six go together. Fails a limit of "at
    /// most 2" (an image goes at once) and a body that does not wait for the head's scripts (the images go as soon as
    /// the scanner reads the body).
    /// </summary>
    [Fact]
    public async Task Images_wait_for_the_head_scripts_and_then_go_together()
    {
        var html = "<!doctype html><head><link rel=stylesheet href=/s.css><script src=/a.js></script><script src=/b.js></script></head><body>"
            + ImagesMarkup(6) + "</body>";
        await using var site = WithImages(new StaticOrigin(), 6, TimeSpan.FromMilliseconds(100))
            .Add("/", SiteResource.Html(html))
            .Add("/s.css", SiteResource.Css("p { margin: 0 }"))
            .Add("/a.js", SiteResource.Script("var a;") with { Delay = ScriptDelay })
            .Add("/b.js", SiteResource.Script("var b;") with { Delay = ScriptDelay });

        var page = await new PageLoader().LoadAsync(site.Url("/"), Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var scriptsEnd = new[] { Request(site, "/a.js"), Request(site, "/b.js") }.Min(r => r.ReceivedAt) + ScriptDelay;
        var images = Images(site);
        Assert.Equal(6, images.Count);
        Assert.All(images, i => Assert.True(i.ReceivedAt >= scriptsEnd - Slack, Log(site)));
        // Together: the last image reached the server before the first one's response (100 ms) could have ended.
        Assert.True(images[^1].ReceivedAt - images[0].ReceivedAt < TimeSpan.FromMilliseconds(100), Log(site));

        // The hold is the images' queueing: discovered with the document, blocked until the scripts ended.
        var scripts = page.Objects.Where(o => o.Kind == ResourceKind.Script).ToList();
        foreach (var image in page.Objects.Where(o => o.Kind == ResourceKind.Image))
        {
            Assert.True(image.StartMs < scripts.Min(s => s.StartMs) + 50, $"image {image.Url} issued at {image.StartMs}");
            Assert.True(image.StartMs + image.Timings.Blocked >= scripts.Min(s => s.EndMs) - 1, $"image {image.Url} blocked {image.Timings.Blocked} from {image.StartMs}");
        }
    }

    /// <summary>
    /// The same kind of page without a script in the head: the body comes as soon as the scanner reads it, the
    /// stylesheet still loading (the server holds it 300 ms), so the images go at once; the document itself is held by
    /// the server until every image has reached it. Fails a body that waits for head stylesheets with no script after
    /// them, and a document counted as in flight (with the sheet, two: the images would wait for the sheet).
    /// </summary>
    [Fact]
    public async Task Without_a_head_script_images_go_as_soon_as_discovered()
    {
        const string Head = "<!doctype html><head><link rel=stylesheet href=/s.css></head><body>";
        var html = Head + ImagesMarkup(6) + "<p>the rest</p></body>";
        var site = WithImages(new StaticOrigin(), 6);
        var allImages = Task.WhenAll(Enumerable.Range(0, 6).Select(i => site.WhenRequested($"/i{i}.png")));
        await using var _ = site
            .Add("/", SiteResource.Html(html) with { HoldAt = Encoding.UTF8.GetByteCount(Head + ImagesMarkup(6)), Release = allImages })
            .Add("/s.css", SiteResource.Css("p { margin: 0 }") with { Delay = ScriptDelay });

        var page = await new PageLoader().LoadAsync(site.Url("/"), Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(0, site.HoldsTimedOut);
        var sheetEnd = Request(site, "/s.css").ReceivedAt + ScriptDelay;
        Assert.All(Images(site), i => Assert.True(i.ReceivedAt < sheetEnd, Log(site)));
    }

    /// <summary>
    /// An async script (Low) after a stylesheet (300 ms) and a parser-blocking script (600 ms) in the head: two are in
    /// flight, so it waits; it goes when the first of them (the sheet) ends, not before, and not only at the body
    /// (after the script). Fails a limit of "at most 2", and a release only when tight mode ends.
    /// </summary>
    [Fact]
    public async Task An_async_script_goes_when_fewer_than_two_requests_are_in_flight()
    {
        var sheetDelay = TimeSpan.FromMilliseconds(300);
        var scriptDelay = TimeSpan.FromMilliseconds(600);
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<!doctype html><head><link rel=stylesheet href=/s.css><script src=/b.js></script><script async src=/a.js></script></head><body>x</body>"))
            .Add("/s.css", SiteResource.Css("p { margin: 0 }") with { Delay = sheetDelay })
            .Add("/b.js", SiteResource.Script("var b;") with { Delay = scriptDelay })
            .Add("/a.js", SiteResource.Script("var a;"));

        var page = await new PageLoader().LoadAsync(site.Url("/"), Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var async = Request(site, "/a.js").ReceivedAt;
        Assert.True(async >= Request(site, "/s.css").ReceivedAt + sheetDelay - Slack, Log(site));
        Assert.True(async < Request(site, "/b.js").ReceivedAt + scriptDelay, Log(site));
        var held = page.Objects.Single(o => o.Url.EndsWith("/a.js", StringComparison.Ordinal));
        Assert.True(held.Timings.Blocked >= 200, $"a.js blocked {held.Timings.Blocked} ms");
    }

    /// <summary>
    /// The document still arriving is not one of the requests in flight: with a slow sheet in flight, an async script
    /// goes at once, and the server holds the rest of the document until it has come. Counting the document, two
    /// would be in flight and the script would wait for the sheet.
    /// </summary>
    [Fact]
    public async Task The_document_is_not_counted_in_flight()
    {
        const string Head = "<!doctype html><head><link rel=stylesheet href=/s.css><script async src=/a.js></script>";
        var site = new StaticOrigin();
        await using var _ = site
            .Add("/", SiteResource.Html(Head + "<title>t</title></head><body>x</body>") with { HoldAt = Encoding.UTF8.GetByteCount(Head), Release = site.WhenRequested("/a.js") })
            .Add("/s.css", SiteResource.Css("p { margin: 0 }") with { Delay = ScriptDelay })
            .Add("/a.js", SiteResource.Script("var a;"));

        var page = await new PageLoader().LoadAsync(site.Url("/"), Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(0, site.HoldsTimedOut);
        Assert.True(Request(site, "/a.js").ReceivedAt < Request(site, "/s.css").ReceivedAt + ScriptDelay, Log(site));
    }

    /// <summary>
    /// An inline script after a slow sheet (500 ms) in the head: the body waits for the sheet, so while it loads the
    /// images go one at a time (the sheet and one image are two in flight; the server holds each image 100 ms), and
    /// once it has ended the rest go together. Fails a body that does not wait for sheets before an inline script (all
    /// at once while the sheet loads), and a limit of "at most 2" (two images at once).
    /// </summary>
    [Fact]
    public async Task An_inline_script_after_a_slow_sheet_holds_the_images_until_the_sheet_ends()
    {
        var sheetDelay = TimeSpan.FromMilliseconds(500);
        var imageDelay = TimeSpan.FromMilliseconds(100);
        var html = "<!doctype html><head><link rel=stylesheet href=/s.css><script>var inline = 1;</script></head><body>" + ImagesMarkup(10) + "</body>";
        await using var site = WithImages(new StaticOrigin(), 10, imageDelay)
            .Add("/", SiteResource.Html(html))
            .Add("/s.css", SiteResource.Css("p { margin: 0 }") with { Delay = sheetDelay });

        var page = await new PageLoader().LoadAsync(site.Url("/"), Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var sheetEnd = Request(site, "/s.css").ReceivedAt + sheetDelay;
        var images = Images(site);
        Assert.Equal(10, images.Count);
        var before = images.Where(i => i.ReceivedAt < sheetEnd - Slack).ToList();
        // One at a time: each reached the server only after the one before it had been answered.
        for (var i = 1; i < before.Count; i++)
            Assert.True(before[i].ReceivedAt >= before[i - 1].ReceivedAt + imageDelay - Slack, Log(site));
        Assert.InRange(before.Count, 1, 5);
        var after = images.Skip(before.Count).ToList();
        Assert.True(after[^1].ReceivedAt - after[0].ReceivedAt < imageDelay, Log(site));
    }

    /// <summary>With <c>--no-tight-mode</c> the page of the first test requests its images at once, the scripts still loading.</summary>
    [Fact]
    public async Task The_opt_out_requests_everything_at_once()
    {
        var html = "<!doctype html><head><link rel=stylesheet href=/s.css><script src=/a.js></script><script src=/b.js></script></head><body>"
            + ImagesMarkup(6) + "</body>";
        await using var site = WithImages(new StaticOrigin(), 6)
            .Add("/", SiteResource.Html(html))
            .Add("/s.css", SiteResource.Css("p { margin: 0 }"))
            .Add("/a.js", SiteResource.Script("var a;") with { Delay = ScriptDelay })
            .Add("/b.js", SiteResource.Script("var b;") with { Delay = ScriptDelay });

        var page = await new PageLoader().LoadAsync(site.Url("/"), Options(tight: false));

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.True(page.Options.NoTightMode);
        var scriptsEnd = new[] { Request(site, "/a.js"), Request(site, "/b.js") }.Min(r => r.ReceivedAt) + ScriptDelay;
        Assert.Equal(6, Images(site).Count);
        Assert.All(Images(site), i => Assert.True(i.ReceivedAt < scriptsEnd, Log(site)));
    }

    /// <summary>
    /// A frame's requests are its own scheduler's: with the page's head scripts in flight (two) and the page's images
    /// held, the frame's document and its images go at once. Fails a scheduler that holds or counts a frame's requests.
    /// </summary>
    [Fact]
    public async Task A_frames_requests_are_not_held()
    {
        var html = "<!doctype html><head><script src=/a.js></script><script src=/b.js></script></head><body><iframe src=/f.html></iframe>"
            + ImagesMarkup(2) + "</body>";
        await using var site = WithImages(WithImages(new StaticOrigin(), 2), 3, prefix: "/f")
            .Add("/", SiteResource.Html(html))
            .Add("/f.html", SiteResource.Html("<!doctype html><body>" + ImagesMarkup(3, "/f") + "</body>"))
            .Add("/a.js", SiteResource.Script("var a;") with { Delay = ScriptDelay })
            .Add("/b.js", SiteResource.Script("var b;") with { Delay = ScriptDelay });

        var page = await new PageLoader().LoadAsync(site.Url("/"), Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var scriptsEnd = new[] { Request(site, "/a.js"), Request(site, "/b.js") }.Min(r => r.ReceivedAt) + ScriptDelay;
        Assert.True(Request(site, "/f.html").ReceivedAt < scriptsEnd, Log(site));
        Assert.All(Enumerable.Range(0, 3), i => Assert.True(Request(site, $"/f{i}.png").ReceivedAt < scriptsEnd, Log(site)));
        Assert.All(Enumerable.Range(0, 2), i => Assert.True(Request(site, $"/i{i}.png").ReceivedAt >= scriptsEnd - Slack, Log(site)));
    }

    /// <summary>
    /// Chromium's BoostImagePriority: the first five images not small in the markup go at Medium, and in tight mode two
    /// Medium requests may be in flight whatever else is. With two head scripts in flight (400 ms), the first two large
    /// images go at once, the next three as those end (the server holds each 100 ms), and the small one and the sixth
    /// large one (Low) wait for the scripts. Fails without the boost (all wait), without the Medium limit (the boosted
    /// ones wait too), with a Medium limit off by one (three at once), and with a boost for small images.
    /// </summary>
    [Fact]
    public async Task The_first_five_large_images_go_at_medium_two_at_a_time()
    {
        var scriptDelay = TimeSpan.FromMilliseconds(400);
        var imageDelay = TimeSpan.FromMilliseconds(100);
        var html = "<!doctype html><head><script src=/a.js></script><script src=/b.js></script></head><body>"
            + "<img src=/small.png width=100 height=100>" + ImagesMarkup(6, size: "") + "</body>";
        await using var site = WithImages(new StaticOrigin(), 6, imageDelay)
            .Add("/", SiteResource.Html(html))
            .Add("/small.png", SiteResource.Image(500))
            .Add("/a.js", SiteResource.Script("var a;") with { Delay = scriptDelay })
            .Add("/b.js", SiteResource.Script("var b;") with { Delay = scriptDelay });

        var page = await new PageLoader().LoadAsync(site.Url("/"), Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var scriptsEnd = new[] { Request(site, "/a.js"), Request(site, "/b.js") }.Min(r => r.ReceivedAt) + scriptDelay;
        var boosted = Enumerable.Range(0, 5).Select(i => Request(site, $"/i{i}.png")).OrderBy(r => r.ReceivedAt).ToList();
        Assert.All(boosted, r => Assert.True(r.ReceivedAt < scriptsEnd, Log(site)));
        // Two at a time: the third only once the first has been answered.
        Assert.True(boosted[2].ReceivedAt >= boosted[0].ReceivedAt + imageDelay - Slack, Log(site));
        Assert.True(Request(site, "/i5.png").ReceivedAt >= scriptsEnd - Slack, Log(site));
        Assert.True(Request(site, "/small.png").ReceivedAt >= scriptsEnd - Slack, Log(site));
    }
}
