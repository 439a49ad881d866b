using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>
/// Issue 16, item 6: a font from another origin is a CORS request without credentials, and Chromium keeps those on
/// connections of their own; <c>--shared-font-connections</c> puts them back on the origin's other connections.
/// </summary>
public sealed class AnonymousPoolTests
{
    private static async Task<(PageLoadDocument Page, StaticOrigin Cdn)> LoadAsync(StaticOrigin site, StaticOrigin cdn, LoadOptions options)
    {
        site.Add("/", SiteResource.Html($"<link rel=stylesheet href=/s.css><p>text</p><div>more</div><img src={cdn.Url("/i.png")}>"))
            .Add("/s.css", SiteResource.Css(
                $"@font-face {{ font-family: F; src: url({cdn.Url("/f.woff2")}) }} @font-face {{ font-family: L; src: url(/l.woff2) }}" +
                " p { font-family: F } div { font-family: L }"))
            .Add("/l.woff2", SiteResource.Image(50));
        cdn.Add("/i.png", SiteResource.Image(50)).Add("/f.woff2", SiteResource.Image(50));
        return (await new PageLoader().LoadAsync(site.Url("/"), options), cdn);
    }

    [Fact]
    public async Task A_font_from_another_origin_gets_a_connection_of_its_own_and_a_same_origin_font_does_not()
    {
        await using var site = new StaticOrigin();
        await using var cdn = new StaticOrigin();
        var (page, _) = await LoadAsync(site, cdn, Sites.Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var connectionOf = page.Connections.ToDictionary(c => c.Id);
        ConnectionRecord Of(string path) => connectionOf[page.Objects.Single(o => o.Url.EndsWith(path, StringComparison.Ordinal)).ConnectionId!.Value];
        Assert.True(Of("/f.woff2").Anonymous);
        Assert.Equal(cdn.Port, Of("/f.woff2").Port);
        Assert.False(Of("/i.png").Anonymous);
        Assert.NotEqual(Of("/i.png").Id, Of("/f.woff2").Id);
        Assert.False(Of("/l.woff2").Anonymous);
        Assert.Equal(1, page.Connections.Count(c => c.Anonymous));
        Assert.Equal(2, cdn.ConnectionCount);
    }

    [Fact]
    public async Task With_shared_font_connections_no_connection_is_anonymous()
    {
        await using var site = new StaticOrigin();
        await using var cdn = new StaticOrigin();
        var (page, _) = await LoadAsync(site, cdn, Sites.Options() with { SharedFontConnections = true, MaxConnectionsPerHost = 1 });

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.DoesNotContain(page.Connections, c => c.Anonymous);
        Assert.Equal(1, cdn.ConnectionCount); // the image and the font on one connection
    }
}
