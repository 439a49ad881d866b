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
        await watched.ScreenshotAsync("repeat-view");

        await page.GotoAsync($"/page-loads/{plain.Id}");
        await Expect(page.Locator("[data-summary='perceived']")).ToHaveCountAsync(1);
        await Expect(page.Locator("[data-testid='repeat-view']")).ToBeHiddenAsync();
        watched.AssertNoErrors();
    }
}
