using Microsoft.Playwright;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace FetchAgent.Tests.Ui;

[Collection(BrowserCollection.Name)]
public sealed partial class HomePageTests(BrowserFixture browser)
{
    /// <summary>Navigation counts once the new page is committed; what the test then expects waits for the page's content
    /// (the load event can lag behind on a busy machine and says nothing the assertions do not).</summary>
    private static readonly PageWaitForURLOptions Committed = new() { WaitUntil = WaitUntilState.Commit };

    [Fact]
    public async Task The_form_starts_a_load_and_its_view_follows_it_live_to_the_completed_waterfall()
    {
        // One connection and slow images: the load runs for well over a second, so the view opens while it runs.
        await using var site = UiSite.Create(TimeSpan.FromMilliseconds(500));
        await using var daemon = await Api.Daemon.StartAsync();
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;

        await page.GotoAsync("/");
        await page.Locator("#url").FillAsync(site.Url("/").AbsoluteUri);
        await page.Locator("#strategy").SelectOptionAsync("persistent");
        await page.Locator("#connections").FillAsync("1");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Load", Exact = true }).ClickAsync();

        await page.WaitForURLAsync(PageLoadPath(), Committed);
        var id = long.Parse(PageLoadPath().Match(page.Url).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-followed-live", "true");
        await Expect(page.Locator("[data-testid='live']")).ToBeVisibleAsync();
        await watched.ScreenshotAsync("page-load-running");

        // The truncated image makes the load partial: done, with one failed object.
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-status", "partial", new() { Timeout = 30_000 });
        await Expect(page.Locator("[data-testid='live']")).ToBeHiddenAsync();
        var doc = await daemon.JsonAsync(await daemon.Client.GetAsync($"/api/page-loads/{id}"));
        Assert.Equal("partial", doc.GetProperty("status").GetString());
        Assert.Equal("persistent", doc.GetProperty("options").GetProperty("strategy").GetString());
        Assert.Equal(1, doc.GetProperty("options").GetProperty("maxConnectionsPerHost").GetInt32());
        var ids = doc.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("id").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var rows = page.Locator("[data-testid='waterfall-row']");
        await Expect(rows).ToHaveCountAsync(ids.Count);
        Assert.Equal(ids, await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.objectId)"));
        await Expect(page.Locator("[data-marker]")).ToHaveCountAsync(5);
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task The_list_shows_past_loads_newest_first_and_filters_by_URL()
    {
        await using var site = UiSite.Create(TimeSpan.Zero);
        await using var other = UiSite.Create(TimeSpan.Zero);
        await using var daemon = await Api.Daemon.StartAsync();
        var first = await UiSite.LoadAsync(daemon, site, "serial");
        var second = await UiSite.LoadAsync(daemon, other, "parallel");
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;

        await page.GotoAsync("/");
        var rows = page.Locator("[data-testid='load-row']");
        await Expect(rows).ToHaveCountAsync(2);
        Assert.Equal([second.GetProperty("id").ToString(), first.GetProperty("id").ToString()], await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.pageLoadId)"));
        await Expect(rows.First).ToContainTextAsync("parallel");
        await Expect(rows.First).ToContainTextAsync(second.GetProperty("metrics").GetProperty("objectCount").ToString());
        await watched.ScreenshotAsync("home");

        await page.Locator("#filter").FillAsync(site.Url("/").AbsoluteUri);
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToHaveAttributeAsync("data-page-load-id", first.GetProperty("id").ToString());

        await rows.First.GetByRole(Microsoft.Playwright.AriaRole.Link).ClickAsync();
        await page.WaitForURLAsync(PageLoadPath(), Committed);
        await Expect(page.Locator("[data-testid='waterfall-row']")).ToHaveCountAsync(first.GetProperty("objects").GetArrayLength());
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task Older_loads_come_a_page_at_a_time_through_the_cursor()
    {
        await using var site = new FetchAgent.TestServers.StaticOrigin().Add("/", FetchAgent.TestServers.SiteResource.Html("<p>tiny</p>"));
        await using var daemon = await Api.Daemon.StartAsync();
        for (var i = 0; i < 27; i++)
            await UiSite.LoadAsync(daemon, site);
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;

        await page.GotoAsync("/");
        var rows = page.Locator("[data-testid='load-row']");
        await Expect(rows).ToHaveCountAsync(25);
        await page.Locator("#more").ClickAsync();
        await Expect(rows).ToHaveCountAsync(27);
        await Expect(page.Locator("#more")).ToBeHiddenAsync();
        var ids = (await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.pageLoadId)")).Select(long.Parse).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(27, ids.Distinct().Count());
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task Problems_from_the_API_are_shown_next_to_their_field()
    {
        await using var daemon = await Api.Daemon.StartAsync();
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;

        await page.GotoAsync("/");
        await page.Locator("#url").FillAsync("ftp://example.test/");
        await page.Locator("#connections").FillAsync("0");
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Load", Exact = true }).ClickAsync();

        await Expect(page.Locator("[data-testid='error-url']")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid='error-url']")).ToContainTextAsync("http");
        await Expect(page.Locator("[data-testid='error-maxConnectionsPerHost']")).ToBeVisibleAsync();
        await Expect(page.Locator("#url")).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.EndsWith("/", page.Url);
        await watched.ScreenshotAsync("home-errors");
        watched.AssertNoErrors(UiSite.ResourceStatus(400));
    }

    [GeneratedRegex(@"/page-loads/(\d+)$")]
    private static partial Regex PageLoadPath();
}
