using System.IO.Compression;
using System.Text;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>
/// Issue 9 item 1: what a page may hold. Discovery parses at most a cap of each document and stylesheet (and says
/// so), and a page keeps bodies for discovery only within its budget; every body is still read and measured whole.
/// </summary>
public sealed class PageMemoryTests
{
    private const int Cap = 16 * 1024;

    private static readonly PageMemoryLimits SmallCap = new() { MaxParsedBytes = Cap };

    /// <summary>Text with no '&gt;', ';' or '}' (no place a cut body could be trimmed to) of exactly <paramref name="length"/> bytes.</summary>
    private static string Filler(int length) =>
        string.Concat(Enumerable.Repeat("lorem ipsum dolor sit amet ", length / 27 + 1))[..length];

    /// <summary>
    /// A document whose <c>&lt;img src=/last.png&gt;</c> ends 100 bytes before the cap, then a tag that straddles the
    /// cap, then references well after it. Returns the body and the exact bytes discovery may parse.
    /// </summary>
    private static (string Html, int Parsed) CutDocument()
    {
        var head = "<!doctype html><html><head><link rel=stylesheet href=/before.css></head><body><img src=/before.png><p>";
        const string last = "<img src=/last.png>";
        var html = new StringBuilder(head).Append(Filler(Cap - 100 - head.Length - last.Length)).Append(last);
        var parsed = html.Length; // the cut body is read up to its last whole tag, this one
        html.Append(Filler(95)).Append("<img src=/straddle.png>"); // starts 5 bytes before the cap, ends after it
        html.Append(Filler(3000)).Append("<img src=/after.png><link rel=stylesheet href=/after.css><iframe src=/after.html></iframe>");
        html.Append(Filler(50_000)).Append("</body></html>");
        return (html.ToString(), parsed);
    }

    public static TheoryData<string> Framings() => ["content-length", "chunked", "gzip"];

    [Theory]
    [MemberData(nameof(Framings))]
    public async Task A_document_past_the_parse_cap_is_read_up_to_the_cap_and_says_how_far(string framing)
    {
        var (html, parsed) = CutDocument();
        var body = Encoding.ASCII.GetBytes(html);
        IReadOnlyList<(string, string)> headers = [];
        if (framing == "gzip")
        {
            body = Gzip(body);
            headers = [("Content-Encoding", "gzip")];
        }

        await using var site = new StaticOrigin();
        site.Add("/", new SiteResource("text/html", body) { Headers = headers, Chunked = framing == "chunked" });
        foreach (var path in new[] { "/before.css", "/before.png", "/last.png", "/straddle.png", "/after.png", "/after.css", "/after.html" })
            site.Add(path, path.EndsWith(".css", StringComparison.Ordinal) ? SiteResource.Css("a { color: red }") : SiteResource.Image(10));

        var page = await new PageLoader(limits: SmallCap).LoadAsync(site.Url("/"), Sites.Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var document = page.Objects[0];
        Assert.Equal(body.Length, document.BodyBytes); // the wire size, not what was kept or parsed
        Assert.Equal(parsed, document.ParsedBytes);
        Assert.Equal(DiscoveryLimit.ParseCap, document.DiscoveryLimit);
        // Before the cap: requested (by the scanner or the full parse); at and after it: never, by either.
        Assert.Equal(["/", "/before.css", "/before.png", "/last.png"], page.Objects.Select(o => new Uri(o.Url).AbsolutePath).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(site.Requests, r => r.Target is "/straddle.png" or "/after.png" or "/after.css" or "/after.html");
        Assert.All(page.Objects.Skip(1), o => Assert.Null(o.ParsedBytes));
    }

    [Fact]
    public async Task A_document_of_exactly_the_cap_is_read_whole()
    {
        var head = "<!doctype html><body><img src=/a.png>";
        var html = head + Filler(Cap - head.Length - "<img src=/z.png>".Length) + "<img src=/z.png>";
        await using var site = new StaticOrigin();
        site.Add("/", SiteResource.Html(html)).Add("/a.png", SiteResource.Image(10)).Add("/z.png", SiteResource.Image(10));

        var page = await new PageLoader(limits: SmallCap).LoadAsync(site.Url("/"), Sites.Options());

        Assert.Equal(Cap, page.Objects[0].BodyBytes);
        Assert.Null(page.Objects[0].ParsedBytes);
        Assert.Null(page.Objects[0].DiscoveryLimit);
        Assert.Contains(page.Objects, o => o.Url.EndsWith("/z.png", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stylesheet_past_the_cap_is_read_up_to_its_last_whole_declaration_never_a_cut_url()
    {
        var start = "@import url(/imported.css);\n.a { background: url(/before.png) }\n.b { color: red; ";
        var css = new StringBuilder(start).Append(Filler(Cap - 10 - start.Length));
        var parsed = start.LastIndexOf(';') + 1; // "color: red;" is the last whole declaration before the cap
        css.Append("background: url(/straddle.png) }"); // the cap falls inside this url(
        css.Append(".c { background: url(/after.png) }").Append(Filler(20_000));
        await using var site = new StaticOrigin();
        site.Add("/", SiteResource.Html("<link rel=stylesheet href=/big.css><p class=a><p class=b><p class=c>"))
            .Add("/big.css", SiteResource.Css(css.ToString()))
            .Add("/imported.css", SiteResource.Css("p { margin: 0 }"))
            .Add("/before.png", SiteResource.Image(10));

        var page = await new PageLoader(limits: SmallCap).LoadAsync(site.Url("/"), Sites.Options());

        var sheet = page.Objects.Single(o => o.Url.EndsWith("/big.css", StringComparison.Ordinal));
        Assert.Equal(css.Length, sheet.BodyBytes);
        Assert.Equal(parsed, sheet.ParsedBytes);
        Assert.Equal(DiscoveryLimit.ParseCap, sheet.DiscoveryLimit);
        Assert.Equal(["/", "/before.png", "/big.css", "/imported.css"], page.Objects.Select(o => new Uri(o.Url).AbsolutePath).Order(StringComparer.Ordinal));
        // /straddle.pn, /straddl…: a parser at the end of its input returns the unfinished url(); it must not be requested.
        Assert.DoesNotContain(site.Requests, r => r.Target.StartsWith("/stra", StringComparison.Ordinal) || r.Target == "/after.png");
        Assert.Equal(PageLoadStatus.Completed, page.Status);
    }

    [Fact]
    public async Task Past_the_page_budget_a_body_is_not_kept_its_discovery_is_skipped_and_it_says_so()
    {
        // A chain of @imports, one after another, so the order of reservations is the chain's. Each sheet is 4000
        // bytes; a.css is chunked (no length known), so it reserves the whole cap and gives back what it did not use.
        const int sheetBytes = 4000;
        string Sheet(string import, string image) =>
            $"@import url({import}); .x {{ background: url({image}) }}\n" is var rule ? rule + Filler(sheetBytes - rule.Length) : "";
        var html = "<!doctype html><link rel=stylesheet href=/a.css><img src=/big.png class=x>";
        var budget = Encoding.ASCII.GetByteCount(html) + Cap; // the document, then a.css's reservation of the cap
        await using var site = new StaticOrigin();
        site.Add("/", SiteResource.Html(html))
            .Add("/big.png", SiteResource.Image(200_000)) // an image is never kept: it takes nothing from the budget
            .Add("/a.css", SiteResource.Css(Sheet("/b.css", "/a.png")) with { Chunked = true })
            .Add("/b.css", SiteResource.Css(Sheet("/c.css", "/b.png")))
            .Add("/c.css", SiteResource.Css(Sheet("/d.css", "/c.png")))
            .Add("/d.css", SiteResource.Css(Sheet("/e.css", "/d.png")))
            .Add("/e.css", SiteResource.Css(Sheet("/f.css", "/e.png")));
        foreach (var image in new[] { "/a.png", "/b.png", "/c.png", "/d.png", "/e.png" })
            site.Add(image, SiteResource.Image(10));

        var page = await new PageLoader(limits: SmallCap with { PageBudgetBytes = budget }).LoadAsync(site.Url("/"), Sites.Options());

        // Budget after the document: Cap. a.css reserves Cap, keeps 4000 (12384 back); b, c, d keep 4000 each: 384 left.
        var byPath = page.Objects.ToDictionary(o => new Uri(o.Url).AbsolutePath);
        foreach (var kept in new[] { "/", "/a.css", "/b.css", "/c.css", "/d.css" })
            Assert.Equal((null, null), (byPath[kept].ParsedBytes, byPath[kept].DiscoveryLimit));
        var refused = byPath["/e.css"];
        Assert.Equal((0L, DiscoveryLimit.PageBudget), (refused.ParsedBytes, refused.DiscoveryLimit));
        Assert.Equal(sheetBytes, refused.BodyBytes); // fetched and measured whole all the same
        Assert.Null(refused.DiscoveryMs); // nothing of it was read
        Assert.Null(refused.Error);
        Assert.DoesNotContain(site.Requests, r => r.Target is "/f.css" or "/e.png");
        Assert.True(byPath.ContainsKey("/d.png"));
        Assert.Equal(PageLoadStatus.Completed, page.Status);
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }
}
