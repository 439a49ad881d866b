using System.Text;
using FetchAgent.Engine.Http1;
using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>
/// Issue 14's HAR <c>content.size</c>: an object's decoded size, known without decoding what FetchAgent does not read
/// (the gzip trailer), counted for what it decodes anyway (HTML, CSS), null where only decoding would tell (br).
/// </summary>
public sealed class DecodedSizeTests
{
    private static readonly byte[] Pixels = Enumerable.Range(0, 30_000).Select(i => (byte)(i % 7)).ToArray();
    private static readonly string Css = "body { color: red }\n" + string.Concat(Enumerable.Repeat(".a { margin: 0 }\n", 400));

    [Fact]
    public async Task Each_body_reports_its_decoded_size_when_it_can_be_known()
    {
        await using var site = new StaticOrigin()
            .Add("/", Coded(SiteResource.Html("<link rel=stylesheet href=/s.css><img src=/plain.png><img src=/gz.png><img src=/br.png><img src=/gzchunked.png>"), "gzip"))
            .Add("/s.css", Coded(SiteResource.Css(Css), "br"))
            .Add("/plain.png", new SiteResource("image/png", Pixels))
            .Add("/gz.png", Coded(new SiteResource("image/png", Pixels), "gzip"))
            .Add("/gzchunked.png", Coded(new SiteResource("image/png", Pixels), "gzip") with { Chunked = true })
            .Add("/br.png", Coded(new SiteResource("image/png", Pixels), "br"));
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        var sizes = page.Objects.ToDictionary(o => new Uri(o.Url).AbsolutePath, o => (o.BodyBytes, o.DecodedBytes));
        var html = Encoding.UTF8.GetByteCount("<link rel=stylesheet href=/s.css><img src=/plain.png><img src=/gz.png><img src=/br.png><img src=/gzchunked.png>");
        Assert.Equal(html, sizes["/"].DecodedBytes); // decoded for discovery, counted
        Assert.Equal(Encoding.UTF8.GetByteCount(Css), sizes["/s.css"].DecodedBytes); // br, but decoded for discovery
        Assert.Equal((Pixels.Length, (long?)Pixels.Length), sizes["/plain.png"]); // no coding: the wire size
        Assert.Equal(Pixels.Length, sizes["/gz.png"].DecodedBytes); // the gzip trailer, nothing decoded
        Assert.Equal(Pixels.Length, sizes["/gzchunked.png"].DecodedBytes); // the trailer across chunk boundaries
        Assert.Null(sizes["/br.png"].DecodedBytes); // br carries no size and nothing decoded it
        Assert.All(sizes.Where(s => s.Key != "/plain.png"), s => Assert.True(s.Value.BodyBytes < Pixels.Length, s.Key));
    }

    [Fact]
    public async Task A_truncated_gzip_body_has_no_decoded_size()
    {
        var gz = ContentCodings.Gzip(Pixels);
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<img src=/cut.png>"))
            .Add("/cut.png", SiteResource.Hostile(
                $"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {gz.Length}\r\n\r\n{Encoding.Latin1.GetString(gz[..^10])}"));
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        var cut = page.Objects.Single(o => o.Url.EndsWith("/cut.png", StringComparison.Ordinal));
        Assert.Equal((ErrorKind.Truncated, (long?)null), (cut.ErrorKind, cut.DecodedBytes));
    }

    [Theory]
    [InlineData(null, 100L, 0u, 100L)]
    [InlineData("identity", 100L, 0u, 100L)]
    [InlineData("gzip", 100L, 12345u, 12345L)]
    [InlineData("x-gzip", 100L, 12345u, 12345L)]
    [InlineData("GZIP", 100L, 7u, 7L)]
    [InlineData("gzip", 17L, 12345u, null)] // shorter than a gzip header and trailer
    [InlineData("br", 100L, 12345u, null)]
    [InlineData("deflate", 100L, 12345u, null)]
    [InlineData("gzip, br", 100L, 12345u, null)]
    [InlineData("compress", 100L, 12345u, null)]
    [InlineData("gzip", 0L, 0u, 0L)]
    public void The_known_size_follows_the_codings(string? coding, long wire, uint lastFour, long? expected) =>
        Assert.Equal(expected, ContentDecoder.KnownDecodedSize(coding, wire, lastFour));

    private static SiteResource Coded(SiteResource resource, string coding) => resource with
    {
        Body = coding == "gzip" ? ContentCodings.Gzip(resource.Body) : ContentCodings.Brotli(resource.Body),
        Headers = [("Content-Encoding", coding)],
    };
}
