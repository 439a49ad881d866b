using System.IO.Compression;
using System.Text;
using FetchAgent.Engine.Discovery;
using FetchAgent.Engine.Discovery.Html;
using FetchAgent.Engine.Http1;

namespace FetchAgent.Engine.Tests.Discovery;

/// <summary>
/// The preload scanner against the full parse: on every discovery test page, fed whole and one byte at a time,
/// what it finds while the bytes arrive must be what the full parse finds (same URL, same kind, same flags), and it
/// must never find what the full parse does not.
/// </summary>
public sealed class StreamingDiscoveryTests
{
    private static readonly Uri Page = new("https://example.test/dir/page.html");

    static StreamingDiscoveryTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Every page of HtmlDiscoveryTests and CharsetTests, plus the hard cases of the tokenizer.</summary>
    public static TheoryData<string, byte[], string?> Corpus()
    {
        var data = new TheoryData<string, byte[], string?>
        {
            { "every element", Utf8(HtmlDiscoveryTests.EveryElement), "text/html" },
            { "no base", Utf8("<img src='a.png'><img src='../b.png'><img src='//cdn.test/c.png'>"), null },
            { "frameset", Utf8("<html><frameset><frame src='left.html'><frame src='right.html'></frameset></html>"), "text/html" },
            {
                "head and body", Utf8("""
                    <html><head>
                    <link rel="stylesheet" href="a.css" media="all">
                    <link rel="stylesheet" href="b.css" media="(min-width: 1400px)">
                    <link rel="stylesheet" href="c.css" type="text/less">
                    </head><body><script src="late.js"></script><link rel="stylesheet" href="body.css"></body></html>
                    """), "text/html"
            },
            { "style media", Utf8("<style media=print>@import 'p.css';</style><style>@import url(s.css);</style>"), "text/html" },
            { "windows-1252 header", Encoding.GetEncoding(1252).GetBytes("<img src=\"caf\u00e9.png\">"), "text/html; charset=windows-1252" },
            { "shift_jis meta", Encoding.GetEncoding(932).GetBytes("<meta charset=\"shift_jis\"><img src=\"\u65e5\u672c.png\">"), "text/html" },
            { "shift_jis http-equiv", Encoding.GetEncoding(932).GetBytes("<meta http-equiv=\"Content-Type\" content=\"text/html; charset='Shift_JIS'\"><img src=\"\u65e5.png\">"), null },
            { "query in 1252", Encoding.GetEncoding(1252).GetBytes("<img src=\"\u00e9.png?q=\u00e9\">"), "text/html; charset=windows-1252" },
            { "utf-8 bom", [0xEF, 0xBB, 0xBF, .. Utf8("<img src=\"\u00fc.png\">")], "text/html; charset=windows-1252" },
            { "undeclared non-ascii", [.. Utf8("<img src=a.png><img src=\"x"), 0xE9, .. Utf8(".png\"><img src=b.png>")], "text/html" },
            {
                "markup that is not markup", Utf8("""
                    <!-- <img src="comment.png"> --><!--> <img src="after-abrupt.png"> <!---><img src="after-abrupt2.png">
                    <!-- a <!-- nested --> <img src="after-nested.png">
                    <!DOCTYPE html "<img src=doctype.png>"><?php echo '<img src=pi.png>' ?><img src="after-pi.png">
                    <script>document.write('<img src="script.png">'); if (a</script) {}</script><img src="after-script.png">
                    <script><!-- <script> </script> <img src="double-escaped.png"> --></script><img src="after-escaped.png">
                    <title><img src="title.png"></title><textarea><img src="textarea.png"></textarea>
                    <noscript><img src="noscript.png"></noscript><xmp><img src="xmp.png"></xmp><iframe><img src="iframe-text.png"></iframe>
                    <noembed><img src="noembed.png"></noembed><template><img src="template.png"><template><img src="t2.png"></template><img src="t1.png"></template>
                    <svg><style>@import 'svg.css';</style><image href="svg.png"/><![CDATA[ <img src="cdata.png"> ]]></svg><img src="after-svg.png">
                    <select><img src="select.png"><option>x</select><img src="after-select.png">
                    <frame src="stray-frame.html"><img src="a&amp;b.png?x=1&copy=2&amp;y=&#x31;&#50;"><img src=unquoted.png alt=x>
                    <IMG SRC="upper.png"><img src="dup1.png" src="dup2.png"><image src="image-tag.png">
                    <style>@import url(style-end.css); /* </styles> */ </style ><img src="after-style.png">
                    <plaintext><img src="plaintext.png">
                    """), "text/html"
            },
            {
                "late base and picture", Utf8("""
                    <head><base href="https://cdn.example.test/x/"><script src=head.js></script></head>
                    <script src=after-head.js></script><p>text</p><script src=body.js></script>
                    <picture><source srcset="a.webp" type="image/webp"><img src="a.jpg"></picture>
                    <picture><div><img src="nested.jpg"></div></picture>
                    <video src="v.mp4" poster="v.jpg"><track src="v.vtt"><p>fallback <img src="fallback.png"></p></video>
                    <audio><source src="a.ogg" type="audio/ogg"></audio>
                    """), "text/html"
            },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void While_bytes_arrive_finds_only_what_the_full_parse_finds_with_the_same_flags(string page, byte[] html, string? contentType)
    {
        var full = HtmlDiscovery.Discover(html, contentType, Page);
        foreach (var chunk in new[] { html.Length, 1, 7 })
        {
            var streamed = Stream(html, contentType, chunk, out _);
            var expected = full.ToDictionary(r => r.Url.AbsoluteUri);
            foreach (var r in streamed)
            {
                Assert.True(expected.TryGetValue(r.Url.AbsoluteUri, out var truth), $"{page} (chunks of {chunk}): the scanner requested {r.Url}, the full parse does not");
                Assert.Equal(DiscoveryAssert.Line(truth), DiscoveryAssert.Line(r));
            }

            // The same whichever way the bytes were split.
            Assert.Equal(Stream(html, contentType, html.Length, out _).Select(DiscoveryAssert.Line).Order(), streamed.Select(DiscoveryAssert.Line).Order());
        }
    }

    [Fact]
    public void On_the_element_corpus_the_scanner_alone_finds_everything_but_the_children_it_must_wait_for()
    {
        var html = Utf8(HtmlDiscoveryTests.EveryElement);
        var streamed = Stream(html, "text/html", 1, out _).Select(r => r.Url.AbsoluteUri).ToHashSet();
        var missed = HtmlDiscovery.Discover(html, "text/html", Page).Select(r => r.Url.AbsoluteUri).Where(u => !streamed.Contains(u)).ToList();

        Assert.Empty(missed);
    }

    [Fact]
    public void The_tokenizer_hard_cases_find_exactly_the_real_references()
    {
        var (_, html, type) = CorpusCase("markup that is not markup");

        var found = Stream(html, type, 1, out _).Select(r => r.Url.Segments[^1] + r.Url.Query).ToList();

        Assert.Equal(
        [
            "after-abrupt.png", "after-abrupt2.png", "after-nested.png", "after-pi.png", "after-script.png", "after-escaped.png",
            "after-svg.png", "after-select.png", "a&b.png?x=1&copy=2&y=12", "unquoted.png", "upper.png",
            "dup1.png", "image-tag.png", "style-end.css", "after-style.png",
        ], found);
    }

    [Fact]
    public void Late_base_picture_and_media_apply_the_same_rules_as_the_full_parse()
    {
        var (_, html, type) = CorpusCase("late base and picture");

        var found = Stream(html, type, 1, out _).Select(DiscoveryAssert.Line).ToList();

        const string X = "https://cdn.example.test/x/";
        Assert.Equal(
        [
            X + "head.js Script render-blocking parser-blocking",
            X + "after-head.js Script render-blocking parser-blocking",
            X + "body.js Script parser-blocking",
            X + "a.webp Image",
            X + "fallback.png Image",
            X + "v.jpg Image",
            X + "v.mp4 Media",
            X + "v.vtt Other",
            X + "a.ogg Media",
        ], found);
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public void A_compressed_document_streams_through_its_decoder(string coding)
    {
        var html = Utf8(HtmlDiscoveryTests.EveryElement);
        var coded = Compress(html, coding);

        var streamed = Stream(coded, "text/html", 5, out var discovery, coding);

        Assert.Null(discovery.NotStreamedBecause);
        Assert.Equal(HtmlDiscovery.Discover(html, "text/html", Page).Count, streamed.Count);
    }

    [Theory]
    [InlineData("gzip, br", "text/html")]
    [InlineData("compress", "text/html")]
    [InlineData(null, "text/css")]
    [InlineData(null, "text/html; charset=utf-16")]
    public void What_it_cannot_stream_it_leaves_to_the_full_parse(string? coding, string contentType)
    {
        var streamed = Stream(Utf8("<img src=a.png>"), contentType, 1, out var discovery, coding);

        Assert.Empty(streamed);
        Assert.NotNull(discovery.NotStreamedBecause);
    }

    [Fact]
    public void A_utf16_bom_split_over_reads_stops_the_scanner_and_a_utf8_bom_does_not()
    {
        Assert.Empty(Stream([0xFF, 0xFE, .. Encoding.Unicode.GetBytes("<img src=a.png>")], "text/html", 1, out var utf16));
        Assert.Equal("UTF-16", utf16.NotStreamedBecause);
        Assert.Single(Stream([0xEF, 0xBB, 0xBF, .. Utf8("<script src=a.js></script>")], null, 1, out _), r => r.ParserBlocking && r.RenderBlocking);
    }

    [Fact]
    public void The_warm_up_runs()
    {
        StreamingHtmlDiscovery.WarmUp();
    }

    private static (string, byte[], string?) CorpusCase(string name)
    {
        foreach (var row in Corpus())
        {
            if ((string)row[0] == name)
                return (name, (byte[])row[1], (string?)row[2]);
        }

        throw new InvalidOperationException(name);
    }

    /// <summary>Feeds the body in chunks as the HTTP reader would and returns what the scanner found, flags merged per URL.</summary>
    internal static List<DiscoveredResource> Stream(byte[] body, string? contentType, int chunk, out StreamingHtmlDiscovery discovery, string? coding = null)
    {
        var headers = new List<HeaderField>();
        if (contentType is not null)
            headers.Add(new HeaderField("Content-Type", contentType));
        if (coding is not null)
            headers.Add(new HeaderField("Content-Encoding", coding));
        var head = new ResponseHead { Major = 1, Minor = 1, StatusCode = 200, ReasonPhrase = "OK", Headers = headers, HeaderBytes = 0, FirstByteTimestamp = 0 };
        discovery = new StreamingHtmlDiscovery(Page, successOnly: false, maxDecodedBytes: 1 << 24);
        var found = new List<DiscoveredResource>();
        for (var i = 0; i < body.Length; i += chunk)
        {
            discovery.Observe(head, body.AsSpan(i, Math.Min(chunk, body.Length - i)));
            foreach (var r in discovery.Found)
            {
                var at = found.FindIndex(f => f.Url == r.Url);
                if (at < 0)
                    found.Add(r);
                else
                    found[at] = found[at] with { RenderBlocking = r.RenderBlocking, ParserBlocking = r.ParserBlocking };
            }

            discovery.Found.Clear();
        }

        return found;
    }

    private static byte[] Compress(byte[] data, string coding)
    {
        using var output = new MemoryStream();
        using (Stream compressor = coding switch
               {
                   "gzip" => new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true),
                   "br" => new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true),
                   _ => new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true),
               })
        {
            compressor.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
