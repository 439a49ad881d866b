using FetchAgent.Engine.Model;
using FetchAgent.Engine.Page;
using FetchAgent.TestServers;

namespace FetchAgent.Engine.Tests.Page;

/// <summary>pageTimeoutMs (issue 9, item 2): a page that never finishes ends at its deadline with what was measured.</summary>
public sealed class PageDeadlineTests
{
    private static readonly TimeSpan Forever = TimeSpan.FromHours(1);

    [Fact]
    public async Task Objects_in_flight_at_the_deadline_end_as_page_deadline_timeouts_and_the_load_is_partial()
    {
        await using var site = new StaticOrigin()
            .Add("/", SiteResource.Html("<link rel=stylesheet href=/hang.css><img src=/a.png>"))
            .Add("/hang.css", SiteResource.Css("@import 'never.css';") with { Delay = Forever })
            .Add("/a.png", SiteResource.Image(100));
        var options = Sites.Options() with { PageTimeoutMs = 400 };

        var page = await new PageLoader().LoadAsync(site.Url("/"), options).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(PageLoadStatus.Partial, page.Status);
        Assert.Equal(3, page.Objects.Count);
        var hung = page.Objects.Single(o => o.Url.EndsWith("/hang.css", StringComparison.Ordinal));
        Assert.Equal("timeout: page deadline", hung.Error);
        Assert.True(hung.EndMs >= 400, $"ended at {hung.EndMs} ms, before the deadline");
        Assert.Equal(hung.EndMs - hung.StartMs, hung.Time, 1e-6);
        Assert.All(page.Objects.Where(o => o != hung), o => Assert.Equal((200, (string?)null), (o.Status!.Value, o.Error)));
        Assert.Equal(page.Metrics.OnLoadMs, hung.EndMs);
    }

    [Fact]
    public async Task A_document_that_has_not_arrived_by_the_deadline_fails_the_load()
    {
        await using var site = new StaticOrigin().Add("/", SiteResource.Html("<p>late") with { Delay = Forever });

        var page = await new PageLoader().LoadAsync(site.Url("/"), Sites.Options() with { PageTimeoutMs = 300 }).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(PageLoadStatus.Failed, page.Status);
        Assert.Equal("document: timeout: page deadline", page.Error);
        Assert.Equal("timeout: page deadline", Assert.Single(page.Objects).Error);
    }

    [Fact]
    public void The_deadline_is_a_validated_option()
    {
        Assert.Equal(120_000, new LoadOptions().PageTimeoutMs);
        Assert.Contains(("pageTimeoutMs", "must be between 1 and 3600000"), (new LoadOptions { PageTimeoutMs = 0 }).Validate());
        Assert.Contains(("pageTimeoutMs", "must be between 1 and 3600000"), (new LoadOptions { PageTimeoutMs = 3_600_001 }).Validate());
        Assert.Empty((new LoadOptions { PageTimeoutMs = 3_600_000 }).Validate());
    }
}
