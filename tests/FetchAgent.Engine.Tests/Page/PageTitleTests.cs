using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>The page's title (HAR's pages[].title): its document's, as HTML defines it, never a frame's.</summary>
public sealed class PageTitleTests
{
    [Fact]
    public async Task The_title_is_the_documents_with_whitespace_collapsed_and_a_frames_title_does_not_replace_it()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Redirect(302, "/home"))
            .Add("/home", SiteResource.Html("<html><head><title>\n  Connection   management\t</title></head><body><iframe src=/frame></iframe></body></html>"))
            .Add("/frame", SiteResource.Html("<title>The frame</title><p>inside"));

        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        Assert.Equal("Connection management", page.Title);
    }

    [Fact]
    public async Task A_document_without_a_title_has_none()
    {
        await using var site = new StaticOrigin().Add("/", SiteResource.Html("<p>no title here"));
        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        Assert.Null(page.Title);
    }
}
