using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>
/// A fragment names a part of a resource, never another resource (RFC 3986 §3.5): it is not sent (RFC 9112 §3.2) and
/// the page fetches the resource once, however many fragments it is named with.
/// </summary>
public sealed class FragmentTests
{
    [Fact]
    public async Task A_resource_named_with_several_fragments_is_fetched_once()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html(
                """
                <link rel=stylesheet href="/s.css#one"><link rel=stylesheet href="/s.css">
                <img src="/sprite.png#a"><img src="/sprite.png#b"><img src="/sprite.png"><img src="/other.png">
                """))
            .Add("/s.css", SiteResource.Css("body { background: url(/sprite.png#c) } .x { background: url('/other.png#d') }"))
            .Add("/sprite.png", SiteResource.Image(100))
            .Add("/other.png", SiteResource.Image(100));

        var page = await new PageLoader().LoadAsync(site.Url("/#top"), Sites.Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal(["/", "/other.png", "/s.css", "/sprite.png"], site.Requests.Select(r => r.Target).Order(StringComparer.Ordinal));
        Assert.Equal(4, page.Objects.Count);
    }
}
