using System.Net.Http.Json;
using FetchAgent.Engine.Model;
using FetchAgent.Storage;
using FetchAgent.TestServers.Samples;
using static Microsoft.Playwright.Assertions;

namespace FetchAgent.Tests.Ui;

/// <summary>Issue 15: a load with a repeat view shows both views' figures side by side and the repeat view's waterfall.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RepeatViewUiTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_first_and_repeat_view_are_compared_and_a_load_without_one_shows_no_repeat_card()
    {
        await using var daemon = await Api.Daemon.StartAsync();
        var store = StorageFactory.Create(daemon.DatabasePath).PageLoads;
        var withRepeat = SampleDocuments.Waterfall();
        var repeat = SampleDocuments.Waterfall();
        repeat.Objects[1].FromCache = true;
        repeat.Objects[1].ConnectionId = null;
        repeat.Objects[2].Revalidated = true;
        var entry = new CacheEntryRecord(new DateTimeOffset(2026, 11, 21, 11, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), "\"v1\"", 0);
        repeat.Objects[1].Cache = new ObjectCacheRecord(entry, entry with { HitCount = 1 });
        withRepeat.Connections[0].KeptForRepeatView = true; // --keep-connections
        withRepeat.Connections[0].ClosedMs = null;
        withRepeat.Connections[0].CloseReason = null;
        repeat.Connections[0].KeptFrom = withRepeat.Connections[0].Id;
        withRepeat.Objects[2].Via = "1.1 proxy.test (squid)"; // issue 12: what a proxy on the way added
        withRepeat.Objects[2].Age = 42;
        withRepeat.RepeatView = repeat;
        var plain = SampleDocuments.Waterfall();
        await store.InsertAsync(withRepeat);
        await store.InsertAsync(plain);
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;

        await page.GotoAsync($"/page-loads/{withRepeat.Id}");
        var table = page.Locator("[data-testid='repeat-compare']");
        await Expect(table.Locator("tr", new() { HasText = "From cache" })).ToHaveTextAsync("From cache01");
        await Expect(table.Locator("tr", new() { HasText = "Revalidated" })).ToHaveTextAsync("Revalidated (304)01");
        await Expect(page.Locator("[data-testid='repeat-waterfall-row']")).ToHaveCountAsync(repeat.Objects.Count);
        await Expect(page.Locator("[data-testid='waterfall-row']")).ToHaveCountAsync(withRepeat.Objects.Count);
        // The first view's kept connection says so, and the repeat view's connection view names what it continues.
        await Expect(page.Locator("#connections [data-testid='connection-kept']")).ToHaveTextAsync("kept for the repeat view");
        await Expect(page.Locator("[data-testid='repeat-connections'] [data-testid='connection-kept-from']")).ToHaveTextAsync($"first view's #{withRepeat.Connections[0].Id}");
        // A repeat view's row opens its detail, with the object's cache entry before and after.
        await page.Locator($"[data-testid='repeat-waterfall-row'][data-object-id='{repeat.Objects[1].Id}'] .wf-label").ClickAsync();
        await Expect(page.Locator("[data-testid='detail-cache']")).ToHaveTextAsync(
            "Answerfrom the cache, nothing sent" +
            "Before the requeststored, ETag \"v1\", 0 hits, fresh until 2026-11-21T11:00:00.000Z" +
            "After the responsestored, ETag \"v1\", 1 hit, fresh until 2026-11-21T11:00:00.000Z");
        await Expect(page.Locator("#object-detail-title")).ToContainTextAsync("repeat view");
        await watched.ScreenshotAsync("repeat-view");
        await page.Locator($"[data-testid='waterfall-row'][data-object-id='{withRepeat.Objects[2].Id}'] .wf-label").ClickAsync();
        await Expect(page.Locator("[data-testid='detail-via']")).ToHaveTextAsync("1.1 proxy.test (squid)");
        await Expect(page.Locator("[data-testid='detail-age']")).ToHaveTextAsync("42 s in a cache on the way");

        await page.GotoAsync($"/page-loads/{plain.Id}");
        await Expect(page.Locator("[data-summary='perceived']")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid='repeat-view']")).ToBeHiddenAsync();
        watched.AssertNoErrors();
    }

    [Fact]
    public async Task A_comparison_with_repeat_views_shows_each_strategys_repeat_view_under_its_first_view()
    {
        await using var site = UiSite.Create(TimeSpan.FromMilliseconds(5));
        await using var daemon = await Api.Daemon.StartAsync();
        var response = await daemon.Client.PostAsJsonAsync("/api/comparisons", new { url = site.Url("/").AbsoluteUri, strategies = new[] { "parallel", "persistent" }, repeatView = true });
        response.EnsureSuccessStatusCode();
        var comparison = await daemon.JsonAsync(response);
        await using var watched = await browser.OpenAsync(daemon.Client.BaseAddress!);
        var page = watched.Page;

        await page.GotoAsync($"/comparisons/{comparison.GetProperty("id")}");
        var rows = page.Locator("[data-testid='summary-row']");
        await Expect(rows).ToHaveCountAsync(4);
        Assert.Equal(
            ["parallel first", "parallel repeat", "persistent first", "persistent repeat"],
            await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.strategy + ' ' + r.dataset.view)"));
        await Expect(rows.Nth(1).Locator("th")).ToHaveTextAsync("parallel · repeat view");
        // A repeat view row has the API's figures and links to the repeat view's own load.
        var summary = comparison.GetProperty("summary").EnumerateArray().ToList();
        for (var i = 0; i < summary.Count; i++)
        {
            var repeat = summary[i].GetProperty("repeatView");
            var row = rows.Nth(2 * i + 1);
            var shown = double.Parse((await row.Locator("[data-cell='median-actual']").GetAttributeAsync("data-ms"))!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(repeat.GetProperty("medianActualMs").GetDouble(), shown);
            await Expect(row.Locator("[data-cell='median-run'] a")).ToHaveAttributeAsync("href", $"/page-loads/{repeat.GetProperty("medianPageLoadId")}");
        }

        // "best" is named within each view: one first view and one repeat view.
        await Expect(page.Locator("tr[data-view='first'] [data-cell='actual-vs-best'].best")).ToHaveCountAsync(1);
        await Expect(page.Locator("tr[data-view='repeat'] [data-cell='actual-vs-best'].best")).ToHaveCountAsync(1);
        await watched.ScreenshotAsync("comparison-repeat-view");
        watched.AssertNoErrors();
    }
}
