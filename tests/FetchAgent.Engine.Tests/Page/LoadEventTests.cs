using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>Issue 16, item 5: the page's icon is requested after the load event, recorded and flagged, outside onLoad.</summary>
public sealed class LoadEventTests
{
    [Fact]
    public async Task The_icon_is_requested_after_every_other_object_ended_and_is_in_no_time_of_the_page()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<link rel=icon href=/favicon.png><link rel=stylesheet href=/s.css><img src=/slow.png><iframe src=/frame.html></iframe>"))
            .Add("/s.css", SiteResource.Css("p { margin: 0 }"))
            .Add("/slow.png", SiteResource.Image(100) with { Delay = TimeSpan.FromMilliseconds(50) })
            .Add("/frame.html", SiteResource.Html("<link rel=icon href=/frame-icon.png><p>frame</p>"))
            .Add("/favicon.png", SiteResource.Image(300))
            .Add("/frame-icon.png", SiteResource.Image(300));

        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options());

        Assert.Equal(PageLoadStatus.Completed, page.Status);
        var icon = page.Objects.Single(o => o.Url.EndsWith("/favicon.png", StringComparison.Ordinal));
        var others = page.Objects.Where(o => o != icon).ToList();
        Assert.True(icon.AfterOnLoad);
        Assert.All(others, o => Assert.False(o.AfterOnLoad));
        Assert.Equal("/favicon.png", site.Requests.Last().Target);
        Assert.True(icon.StartMs >= others.Max(o => o.EndMs), $"icon issued at {icon.StartMs}, onLoad {others.Max(o => o.EndMs)}");
        Assert.Equal(others.Max(o => o.EndMs), page.Metrics.OnLoadMs);
        Assert.Equal(others.Max(o => o.EndMs), page.Metrics.ActualMs);
        Assert.Equal(5, page.Metrics.ObjectCount); // recorded and counted: the icon is an object of the load
        Assert.Equal(page.Objects.Sum(o => o.HeaderBytes + o.BodyBytes), page.Metrics.Bytes);
        // A frame's icon is never requested, as Chromium shows only the page's.
        Assert.DoesNotContain(site.Requests, r => r.Target == "/frame-icon.png");
    }
}
