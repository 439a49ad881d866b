using System.IO.Compression;
using System.Text;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>
/// Whole page loads where the origin sends the document's head and then holds the rest until it has seen the
/// stylesheet's request: the load completes in time only if FetchAgent requested it while the document was arriving.
/// </summary>
public sealed class StreamingPageLoadTests
{
    private const string Head = """
        <!doctype html><html><head><meta charset="utf-8">
        <!-- <link rel="stylesheet" href="/commented.css"> -->
        <link rel="stylesheet" href="/style.css"><script src="/app.js"></script>
        <script>var s = '<img src="/in-script.png">';</script>
        </head><body><img src="/hero.png">
        """;

    /// <summary>Arrives only after the hold: its references must still be found (the last part's references are not dropped).</summary>
    private const string Rest = """
        <template><img src="/template.png"></template><img src="/hero.png"><img src="/late.png">
        <iframe src="/frame.html"></iframe></body></html>
        """;

    public static TheoryData<string> Framings() => ["content-length", "chunked", "gzip", "gzip chunked", "br"];

    [Theory]
    [MemberData(nameof(Framings))]
    public async Task The_stylesheet_is_requested_while_the_rest_of_the_document_is_held(string framing)
    {
        await using var site = new StaticOrigin();
        var (body, holdAt, headers) = Body(framing);
        site.Add("/", new SiteResource("text/html", body)
        {
            // The rest comes once the server has seen every reference of the part it sent: each was asked for while
            // the document was unfinished (released on the first alone, the others raced the document's end).
            Headers = headers, Chunked = framing.Contains("chunked", StringComparison.Ordinal), HoldAt = holdAt,
            Release = Task.WhenAll(site.WhenRequested("/style.css"), site.WhenRequested("/app.js"), site.WhenRequested("/hero.png")),
        })
            .Add("/style.css", SiteResource.Css("body { background: url(/bg.png) }"))
            .Add("/app.js", SiteResource.Script("1"))
            .Add("/hero.png", SiteResource.Image(100))
            .Add("/late.png", SiteResource.Image(100))
            .Add("/bg.png", SiteResource.Image(100))
            .Add("/frame.html", SiteResource.Html("<img src=/in-frame.png>"))
            .Add("/in-frame.png", SiteResource.Image(10));

        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        Assert.Equal(0, site.HoldsTimedOut); // the server saw all three while the document was unfinished
        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var document = page.Objects[0];
        var css = Object(page, "/style.css");
        Assert.True(css.StartMs < document.EndMs, $"css requested at {css.StartMs}, document ended at {document.EndMs}");
        Assert.True(Object(page, "/app.js").StartMs < document.EndMs);
        Assert.True(Object(page, "/hero.png").StartMs < document.EndMs);

        // Each URL once; nothing from comments, script text or template contents; the held part's references too.
        Assert.Equal(
            ["/", "/app.js", "/bg.png", "/frame.html", "/hero.png", "/in-frame.png", "/late.png", "/style.css"],
            site.Requests.Select(r => r.Target).Order(StringComparer.Ordinal));
        Assert.Equal(8, page.Objects.Count);

        // The scanner's flags are the rules' flags.
        Assert.Equal((true, false, Initiator.Parser, 1), (css.RenderBlocking, css.ParserBlocking, css.Initiator, css.ParentId!.Value));
        var app = Object(page, "/app.js");
        Assert.Equal((true, true), (app.RenderBlocking, app.ParserBlocking));
        Assert.False(Object(page, "/hero.png").RenderBlocking);
        Assert.Equal((Initiator.Css, css.Id), (Object(page, "/bg.png").Initiator, Object(page, "/bg.png").ParentId!.Value));
        Assert.Equal(Object(page, "/frame.html").Id, Object(page, "/in-frame.png").ParentId);
    }

    [Fact]
    public async Task DiscoveryMs_is_on_documents_and_stylesheets_only()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<link rel=stylesheet href=/a.css><script src=/a.js></script><img src=/a.png><iframe src=/f.html></iframe>"))
            .Add("/a.css", SiteResource.Css("@import '/b.css';"))
            .Add("/b.css", SiteResource.Css("p { color: red }"))
            .Add("/a.js", SiteResource.Script("1"))
            .Add("/a.png", SiteResource.Image(10))
            .Add("/f.html", SiteResource.Html("<p>frame</p>"));

        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        Assert.Equal(6, page.Objects.Count);
        Assert.All(page.Objects, o =>
        {
            if (o.Kind is ResourceKind.Document or ResourceKind.Stylesheet or ResourceKind.Iframe)
                Assert.True(o.DiscoveryMs is >= 0, $"{o.Url}: {o.DiscoveryMs}");
            else
                Assert.Null(o.DiscoveryMs);
        });
        Assert.Contains("\"discoveryMs\":", System.Text.Json.JsonSerializer.Serialize(page, DocumentJson.Options), StringComparison.Ordinal);
    }

    private static ObjectRecord Object(PageLoadDocument page, string path) =>
        page.Objects.Single(o => new Uri(o.Url).AbsolutePath == path);

    /// <summary>The document's body and where the server pauses: right after the head, flushed through the compressor.</summary>
    private static (byte[] Body, int HoldAt, IReadOnlyList<(string, string)> Headers) Body(string framing)
    {
        var head = Encoding.UTF8.GetBytes(Head);
        var rest = Encoding.UTF8.GetBytes(Rest);
        if (!framing.StartsWith("gzip", StringComparison.Ordinal) && framing != "br")
            return ([.. head, .. rest], head.Length, []);

        using var output = new MemoryStream();
        using (Stream compressor = framing == "br"
                   ? new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true)
                   : new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            compressor.Write(head);
            compressor.Flush(); // a sync flush: everything so far decodes from the bytes so far
            var holdAt = (int)output.Length;
            compressor.Write(rest);
            compressor.Dispose();
            return (output.ToArray(), holdAt, [("Content-Encoding", framing == "br" ? "br" : "gzip")]);
        }
    }
}
